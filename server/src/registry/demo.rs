//! The demo registry: the companies people and the browser tests rely on ([`showcase`]) and a
//! few hundred generated ones, every number valid by its control digits. Generated from a
//! fixed seed, so every demo database holds the same companies.

use super::{Stored, count, store};
use crate::clock::Clock;
use crate::db::Db;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::ApiError;
use shared::calendar::Day;
use shared::registry::{Company, CompanyDraft};
use shared::requisites::{Inn, Ogrn};
use std::collections::HashSet;

/// How many companies the generator adds to the showcase.
pub const GENERATED: usize = 300;

fn draft(
    kind: &str,
    full_name: &str,
    short_name: &str,
    numbers: [&str; 3],
    place: [&str; 3],
    head: [&str; 2],
) -> CompanyDraft {
    let [inn, kpp, ogrn] = numbers;
    let [registered, region, address] = place;
    CompanyDraft {
        kind: kind.into(),
        full_name: full_name.into(),
        short_name: short_name.into(),
        inn: inn.into(),
        kpp: kpp.into(),
        ogrn: ogrn.into(),
        registered: registered.into(),
        region: region.into(),
        legal_address: address.into(),
        unreliable: false,
        head_name: head[0].into(),
        head_position: head[1].into(),
        status: "active".into(),
        tax_debt: false,
    }
}

/// The companies named in the documentation and used by the browser tests, exactly so.
pub fn showcase() -> Vec<CompanyDraft> {
    let director = "Генеральный директор";
    vec![
        draft(
            "legal",
            "Общество с ограниченной ответственностью «Северный ветер»",
            "ООО «Северный ветер»",
            ["2225007312", "222501001", "1192225000813"],
            [
                "14.03.2019",
                "22",
                "656038, Алтайский край, г. Барнаул, пр-кт Ленина, д. 10, офис 5",
            ],
            ["Соколов Андрей Викторович", director],
        ),
        draft(
            "legal",
            "Акционерное общество «Тестовый завод»",
            "АО «Тестовый завод»",
            ["7705009125", "770501001", "1157746123457"],
            [
                "02.02.2015",
                "77",
                "115114, г. Москва, ул. Дербеневская, д. 20, стр. 1",
            ],
            ["Ершова Ольга Николаевна", director],
        ),
        draft(
            "branch",
            "Новосибирский филиал акционерного общества «Тестовый завод»",
            "АО «Тестовый завод», Новосибирский филиал",
            ["7705009125", "540243001", "1157746123457"],
            [
                "02.02.2015",
                "54",
                "630099, Новосибирская область, г. Новосибирск, ул. Ленина, д. 5",
            ],
            ["", ""],
        ),
        CompanyDraft {
            tax_debt: true,
            ..draft(
                "legal",
                "Общество с ограниченной ответственностью «Листок»",
                "ООО «Листок»",
                ["7718004558", "771801001", "1247700044338"],
                [
                    "20.05.2024",
                    "77",
                    "107143, г. Москва, ул. Подбельского, д. 4, кв. 12",
                ],
                ["Орлов Игорь Сергеевич", director],
            )
        },
        draft(
            "entrepreneur",
            "Индивидуальный предприниматель Кузнецова Мария Петровна",
            "ИП Кузнецова Мария Петровна",
            ["772103485146", "", "320774600123457"],
            ["11.09.2020", "77", "г. Москва"],
            ["Кузнецова Мария Петровна", ""],
        ),
    ]
}

const FIRST: [&str; 24] = [
    "Альфа",
    "Вектор",
    "Гранит",
    "Дельта",
    "Енисей",
    "Зенит",
    "Импульс",
    "Кедр",
    "Лидер",
    "Магистраль",
    "Нива",
    "Орион",
    "Прогресс",
    "Ракурс",
    "Сибирь",
    "Темп",
    "Урал",
    "Факел",
    "Химтех",
    "Циркон",
    "Эталон",
    "Юнона",
    "Янтарь",
    "Байкал",
];
const SECOND: [&str; 12] = [
    "Строй",
    "Торг",
    "Сервис",
    "Логистик",
    "Агро",
    "Маркет",
    "Проект",
    "Энерго",
    "Трейд",
    "Консалт",
    "Мед",
    "Софт",
];
const SURNAMES: [(&str, &str); 12] = [
    ("Иванов", "Иванова"),
    ("Смирнов", "Смирнова"),
    ("Попов", "Попова"),
    ("Волков", "Волкова"),
    ("Морозов", "Морозова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Лебедев", "Лебедева"),
    ("Козлов", "Козлова"),
    ("Егоров", "Егорова"),
    ("Павлов", "Павлова"),
    ("Семенов", "Семенова"),
];
const MEN: [&str; 6] = ["Алексей", "Дмитрий", "Сергей", "Михаил", "Павел", "Олег"];
const WOMEN: [&str; 6] = ["Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина"];
const PATRONYMICS: [(&str, &str); 6] = [
    ("Александрович", "Александровна"),
    ("Игоревич", "Игоревна"),
    ("Викторович", "Викторовна"),
    ("Николаевич", "Николаевна"),
    ("Петрович", "Петровна"),
    ("Юрьевич", "Юрьевна"),
];
const REGIONS: [(&str, &str); 8] = [
    ("77", "г. Москва, ул. Садовая, д."),
    ("78", "г. Санкт-Петербург, Невский пр-кт, д."),
    ("50", "Московская область, г. Химки, ул. Московская, д."),
    (
        "54",
        "Новосибирская область, г. Новосибирск, Красный пр-кт, д.",
    ),
    ("22", "Алтайский край, г. Барнаул, ул. Молодежная, д."),
    (
        "66",
        "Свердловская область, г. Екатеринбург, ул. Малышева, д.",
    ),
    ("16", "Республика Татарстан, г. Казань, ул. Баумана, д."),
    ("23", "Краснодарский край, г. Краснодар, ул. Красная, д."),
];

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// The number `prefix` completed with the control digits `valid` accepts (the rule is the
/// one of `shared::requisites`, tried rather than repeated here).
fn completed(prefix: &str, control: usize, valid: impl Fn(&str) -> bool) -> Option<String> {
    let end = 10usize.pow(u32::try_from(control).unwrap_or(1));
    (0..end)
        .map(|n| format!("{prefix}{n:0control$}"))
        .find(|candidate| valid(candidate))
}

fn generated(rng: &mut StdRng, today: Day) -> Option<CompanyDraft> {
    let (region, street) = REGIONS[rng.random_range(0..REGIONS.len())];
    let year = rng.random_range(2003..today.year);
    let registered = Day::new(year, rng.random_range(1..=12), rng.random_range(1..=28))?;
    let yy = format!("{:02}", year % 100);
    let office = format!("{region}{:02}", rng.random_range(1..=36));
    let woman = rng.random_bool(0.5);
    let (surname_m, surname_w) = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let (patronymic_m, patronymic_w) = PATRONYMICS[rng.random_range(0..PATRONYMICS.len())];
    let person = if woman {
        format!(
            "{surname_w} {} {patronymic_w}",
            WOMEN[rng.random_range(0..WOMEN.len())]
        )
    } else {
        format!(
            "{surname_m} {} {patronymic_m}",
            MEN[rng.random_range(0..MEN.len())]
        )
    };
    let address = format!("{street} {}", rng.random_range(1..200));
    let roll = rng.random_range(0..100);
    let status = match roll {
        0..5 => "liquidating",
        5..10 => "closed",
        _ => "active",
    };
    let mut company = if rng.random_bool(0.15) {
        let inn = completed(&format!("{office}{}", digits(rng, 6)), 2, |c| {
            Inn::parse(c).is_ok()
        })?;
        let ogrn = completed(&format!("3{yy}{region}{}", digits(rng, 9)), 1, |c| {
            Ogrn::parse_ogrnip(c).is_ok()
        })?;
        draft(
            "entrepreneur",
            &format!("Индивидуальный предприниматель {person}"),
            &format!("ИП {person}"),
            [&inn, "", &ogrn],
            [
                &registered.caption(),
                region,
                shared::regions::region_name(region).unwrap_or_default(),
            ],
            [&person, ""],
        )
    } else {
        let name = format!(
            "{}{}",
            FIRST[rng.random_range(0..FIRST.len())],
            SECOND[rng.random_range(0..SECOND.len())].to_lowercase()
        );
        let joint_stock = rng.random_bool(0.12);
        let (form, form_full) = if joint_stock {
            ("АО", "Акционерное общество")
        } else {
            ("ООО", "Общество с ограниченной ответственностью")
        };
        let inn = completed(&format!("{office}{}", digits(rng, 5)), 1, |c| {
            Inn::parse(c).is_ok()
        })?;
        let ogrn = completed(
            &format!("1{yy}{region}{}{}", &office[2..], digits(rng, 5)),
            1,
            |c| Ogrn::parse_ogrn(c).is_ok(),
        )?;
        let kpp = format!("{office}01001");
        let in_flat = rng.random_bool(0.05);
        let address = if in_flat {
            format!("{address}, кв. {}", rng.random_range(1..300))
        } else {
            format!("{address}, офис {}", rng.random_range(1..50))
        };
        CompanyDraft {
            unreliable: rng.random_bool(0.03),
            ..draft(
                "legal",
                &format!("{form_full} «{name}»"),
                &format!("{form} «{name}»"),
                [&inn, &kpp, &ogrn],
                [&registered.caption(), region, &address],
                [&person, "Генеральный директор"],
            )
        }
    };
    company.status = status.into();
    company.tax_debt = rng.random_bool(0.05);
    Some(company)
}

/// The demo registry: the showcase and [`GENERATED`] companies, checked like an import.
pub fn companies(today: Day) -> Result<Vec<Company>, Vec<String>> {
    let mut rng = StdRng::seed_from_u64(2026);
    let mut drafts: Vec<(String, CompanyDraft)> = showcase()
        .into_iter()
        .enumerate()
        .map(|(i, d)| (format!("пример {}", i + 1), d))
        .collect();
    let mut seen: HashSet<String> = drafts.iter().map(|(_, d)| d.inn.clone()).collect();
    while drafts.len() < GENERATED + 5 {
        let Some(draft) = generated(&mut rng, today) else {
            continue;
        };
        if seen.insert(draft.inn.clone()) {
            drafts.push((format!("сгенерированная {}", drafts.len() + 1), draft));
        }
    }
    super::check_all(drafts, today)
}

/// Fills the demo registry (with `if_empty`, only when the registry holds no company, so a
/// staff correction survives `make run`).
pub async fn ensure(db: &Db, clock: &dyn Clock, if_empty: bool) -> Result<Stored, ApiError> {
    if if_empty && count(db).await? > 0 {
        return Ok(Stored::default());
    }
    let companies = companies(clock.today()).map_err(|errors| {
        tracing::error!(?errors, "the demo registry does not pass its own checks");
        ApiError::Internal {
            reference: "demo-registry".into(),
        }
    })?;
    store(db, &companies, "demo", clock.unix()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_registry_is_valid_and_the_same_every_time() {
        let today = Day::new(2026, 12, 7).expect("a day");
        let first = companies(today).expect("every demo company is valid");
        assert_eq!(first.len(), GENERATED + 5);
        assert_eq!(companies(today).expect("valid"), first);
        assert_eq!(first[0].title(), "ООО «Северный ветер»");
        assert_eq!(first[2].kind, shared::registry::CompanyKind::Branch);
        assert!(first[3].address_in_flat && first[3].tax_debt);
        let entrepreneurs = first
            .iter()
            .filter(|c| c.kind == shared::registry::CompanyKind::Entrepreneur)
            .count();
        assert!(entrepreneurs > 20, "{entrepreneurs}");
    }
}
