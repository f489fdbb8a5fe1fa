//! The company registry (M-5, S-8): the companies and entrepreneurs every module looks up by
//! ИНН, ОГРН or the beginning of the name, as imported from the Federal Tax Service's ЕГРЮЛ
//! and ЕГРИП extracts or a CSV file and corrected by staff. Here: the record, its checks (one
//! function for the staff form and every import), the query and the name key a search
//! compares.

use crate::FieldError;
use crate::calendar::Day;
use crate::regions::region_name;
use crate::requisites::{Inn, Kpp, Ogrn, RequisiteError};
use serde::{Deserialize, Serialize};

/// What a registry entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompanyKind {
    /// An organisation (юридическое лицо).
    Legal,
    /// A branch of an organisation: the head's ИНН and ОГРН, a КПП of its own.
    Branch,
    /// An individual entrepreneur (ИП).
    Entrepreneur,
}

impl CompanyKind {
    pub const ALL: [CompanyKind; 3] = [
        CompanyKind::Legal,
        CompanyKind::Branch,
        CompanyKind::Entrepreneur,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CompanyKind::Legal => "legal",
            CompanyKind::Branch => "branch",
            CompanyKind::Entrepreneur => "entrepreneur",
        }
    }

    pub fn from_code(code: &str) -> Option<CompanyKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            CompanyKind::Legal => "Юридическое лицо",
            CompanyKind::Branch => "Филиал",
            CompanyKind::Entrepreneur => "Индивидуальный предприниматель",
        }
    }

    /// Whether the entry is an organisation or its branch (10-digit ИНН, a КПП, an ОГРН).
    pub fn is_organisation(self) -> bool {
        self != CompanyKind::Entrepreneur
    }
}

/// Whether the company works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompanyStatus {
    Active,
    /// Being wound up (ликвидация, банкротство, прекращение деятельности в процессе).
    Liquidating,
    /// Struck off the register.
    Closed,
}

impl CompanyStatus {
    pub const ALL: [CompanyStatus; 3] = [
        CompanyStatus::Active,
        CompanyStatus::Liquidating,
        CompanyStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CompanyStatus::Active => "active",
            CompanyStatus::Liquidating => "liquidating",
            CompanyStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<CompanyStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            CompanyStatus::Active => "Действующая",
            CompanyStatus::Liquidating => "В процессе ликвидации",
            CompanyStatus::Closed => "Прекратила деятельность",
        }
    }
}

/// A company as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub kind: CompanyKind,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    /// Empty for an entrepreneur.
    pub kpp: String,
    /// The ОГРН, or an entrepreneur's ОГРНИП.
    pub ogrn: String,
    pub registered: Day,
    /// The subject's two-digit code ([`crate::regions`]).
    pub region: String,
    pub legal_address: String,
    /// The legal address is a flat in a dwelling house (a mark the checks of a counterparty
    /// show).
    pub address_in_flat: bool,
    /// The register marks some of its data as unreliable (недостоверность).
    pub unreliable: bool,
    pub head_name: String,
    pub head_position: String,
    pub status: CompanyStatus,
    /// The company owes taxes beyond the threshold the Federal Tax Service publishes.
    pub tax_debt: bool,
}

impl Company {
    /// The name people call it by: the short name, else the full one.
    pub fn title(&self) -> &str {
        if self.short_name.is_empty() {
            &self.full_name
        } else {
            &self.short_name
        }
    }

    pub fn region_name(&self) -> &'static str {
        region_name(&self.region).unwrap_or("—")
    }

    /// The key a search by name compares ([`name_key`] of the short name).
    pub fn name_key(&self) -> String {
        name_key(self.title())
    }

    /// The form's fields with this company's values, for a correction.
    pub fn draft(&self) -> CompanyDraft {
        CompanyDraft {
            kind: self.kind.code().to_string(),
            full_name: self.full_name.clone(),
            short_name: self.short_name.clone(),
            inn: self.inn.clone(),
            kpp: self.kpp.clone(),
            ogrn: self.ogrn.clone(),
            registered: self.registered.caption(),
            region: self.region.clone(),
            legal_address: self.legal_address.clone(),
            unreliable: self.unreliable,
            head_name: self.head_name.clone(),
            head_position: self.head_position.clone(),
            status: self.status.code().to_string(),
            tax_debt: self.tax_debt,
        }
    }
}

/// A stored company with its number in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub id: i64,
    pub company: Company,
}

/// What a search of the registry found, and how many companies it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySearch {
    pub total: i64,
    pub entries: Vec<RegistryEntry>,
}

/// The names of the fields of a company, in forms and in the messages of an import.
pub mod field {
    pub const KIND: &str = "kind";
    pub const FULL_NAME: &str = "full_name";
    pub const SHORT_NAME: &str = "short_name";
    pub const INN: &str = "inn";
    pub const KPP: &str = "kpp";
    pub const OGRN: &str = "ogrn";
    pub const REGISTERED: &str = "registered";
    pub const REGION: &str = "region";
    pub const LEGAL_ADDRESS: &str = "legal_address";
    pub const HEAD_NAME: &str = "head_name";
    pub const HEAD_POSITION: &str = "head_position";
    pub const STATUS: &str = "status";
    pub const UNRELIABLE: &str = "unreliable";
    pub const TAX_DEBT: &str = "tax_debt";

    /// The field's caption, as the form and the audit log name it.
    pub fn caption(name: &str) -> &'static str {
        match name {
            KIND => "Вид",
            FULL_NAME => "Полное наименование",
            SHORT_NAME => "Сокращенное наименование",
            INN => "ИНН",
            KPP => "КПП",
            OGRN => "ОГРН / ОГРНИП",
            REGISTERED => "Дата регистрации",
            REGION => "Регион",
            LEGAL_ADDRESS => "Юридический адрес",
            HEAD_NAME => "Руководитель",
            HEAD_POSITION => "Должность руководителя",
            STATUS => "Состояние",
            UNRELIABLE => "Сведения недостоверны",
            TAX_DEBT => "Задолженность по налогам",
            _ => "Поле",
        }
    }
}

/// A company's fields as a form or an import file gives them, before the checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyDraft {
    pub kind: String,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    /// ДД.ММ.ГГГГ or ГГГГ-ММ-ДД.
    pub registered: String,
    pub region: String,
    pub legal_address: String,
    pub unreliable: bool,
    pub head_name: String,
    pub head_position: String,
    pub status: String,
    pub tax_debt: bool,
}

const NAME_MAX: usize = 1000;
const TEXT_MAX: usize = 300;

fn requisite(field: &str, result: Result<String, RequisiteError>) -> Result<String, FieldError> {
    result.map_err(|e| FieldError::new(field, e.to_string()))
}

impl CompanyDraft {
    /// Checks every field; all the messages at once, each with its field. The same function
    /// checks the staff form in the browser, on the server and every imported row.
    pub fn check(&self, today: Day) -> Result<Company, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut take = |r: Result<String, FieldError>| match r {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let kind = CompanyKind::from_code(self.kind.trim());
        let kind_ok = take(kind.map(|k| k.code().to_string()).ok_or_else(|| {
            FieldError::new(field::KIND, "Выберите вид: юридическое лицо, филиал или ИП")
        }));
        let full_name = take(bounded_text(
            field::FULL_NAME,
            &self.full_name,
            NAME_MAX,
            Some("Укажите полное наименование"),
        ));
        let short_name = take(bounded_text(
            field::SHORT_NAME,
            &self.short_name,
            TEXT_MAX,
            None,
        ));
        let organisation = kind.is_none_or(CompanyKind::is_organisation);
        let inn = take(requisite(
            field::INN,
            Inn::parse(&self.inn).map(|i| i.as_str().to_string()),
        ))
        .and_then(|inn| match (organisation, inn.len()) {
            (true, 10) | (false, 12) => Some(inn),
            (true, _) => take(Err(FieldError::new(
                field::INN,
                "ИНН организации состоит из 10 цифр",
            ))),
            (false, _) => take(Err(FieldError::new(
                field::INN,
                "ИНН индивидуального предпринимателя состоит из 12 цифр",
            ))),
        });
        let kpp = if organisation {
            take(requisite(
                field::KPP,
                Kpp::parse(&self.kpp).map(|k| k.as_str().to_string()),
            ))
        } else if self.kpp.trim().is_empty() {
            Some(String::new())
        } else {
            take(Err(FieldError::new(
                field::KPP,
                "У индивидуального предпринимателя нет КПП: оставьте поле пустым",
            )))
        };
        let ogrn = take(requisite(
            field::OGRN,
            if organisation {
                Ogrn::parse_ogrn(&self.ogrn)
            } else {
                Ogrn::parse_ogrnip(&self.ogrn)
            }
            .map(|o| o.as_str().to_string()),
        ));
        let registered = match Day::parse_russian(self.registered.trim())
            .or_else(|| Day::parse(self.registered.trim()))
        {
            Some(day) if day > today => take(Err(FieldError::new(
                field::REGISTERED,
                "Дата регистрации не может быть позже сегодняшней",
            )))
            .map(|_| day),
            Some(day) => Some(day),
            None => take(Err(FieldError::new(
                field::REGISTERED,
                "Укажите дату регистрации в виде ДД.ММ.ГГГГ",
            )))
            .map(|_| today),
        };
        let region = take(
            region_name(self.region.trim())
                .map(|_| self.region.trim().to_string())
                .ok_or_else(|| FieldError::new(field::REGION, "Выберите регион")),
        );
        let legal_address = take(bounded_text(
            field::LEGAL_ADDRESS,
            &self.legal_address,
            NAME_MAX,
            None,
        ));
        let head_name = take(bounded_text(
            field::HEAD_NAME,
            &self.head_name,
            TEXT_MAX,
            None,
        ));
        let head_position = take(bounded_text(
            field::HEAD_POSITION,
            &self.head_position,
            TEXT_MAX,
            None,
        ));
        let status = CompanyStatus::from_code(self.status.trim());
        let status_ok = take(
            status
                .map(|s| s.code().to_string())
                .ok_or_else(|| FieldError::new(field::STATUS, "Выберите состояние")),
        );
        match (
            kind,
            kind_ok,
            full_name,
            short_name,
            inn,
            kpp,
            ogrn,
            registered,
            region,
            legal_address,
            head_name,
            head_position,
            status,
            status_ok,
        ) {
            (
                Some(kind),
                Some(_),
                Some(full_name),
                Some(short_name),
                Some(inn),
                Some(kpp),
                Some(ogrn),
                Some(registered),
                Some(region),
                Some(legal_address),
                Some(head_name),
                Some(head_position),
                Some(status),
                Some(_),
            ) if errors.is_empty() => Ok(Company {
                kind,
                address_in_flat: address_in_flat(&legal_address),
                full_name,
                short_name,
                inn,
                kpp,
                ogrn,
                registered,
                region,
                legal_address,
                unreliable: self.unreliable,
                head_name,
                head_position,
                status,
                tax_debt: self.tax_debt,
            }),
            _ => Err(errors),
        }
    }
}

/// A trimmed text of at most `max` characters, required when `required` gives its message.
fn bounded_text(
    name: &str,
    value: &str,
    max: usize,
    required: Option<&str>,
) -> Result<String, FieldError> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty()
        && let Some(message) = required
    {
        return Err(FieldError::new(name, message));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(name, format!("Не длиннее {max} символов")));
    }
    Ok(value)
}

/// Whether an address is a flat: it names a «кв.»/«квартира» (the sign the Federal Tax
/// Service's extracts and the checks of a counterparty use).
pub fn address_in_flat(address: &str) -> bool {
    let lower = address.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == "кв" || word == "квартира")
}

/// The legal forms a name starts with, which a search by name skips.
const FORMS: &[&str] = &[
    "общество с ограниченной ответственностью",
    "публичное акционерное общество",
    "непубличное акционерное общество",
    "закрытое акционерное общество",
    "открытое акционерное общество",
    "акционерное общество",
    "индивидуальный предприниматель",
    "ооо",
    "пао",
    "ао",
    "зао",
    "оао",
    "нао",
    "ип",
    "гуп",
    "муп",
    "фгуп",
    "ано",
    "нко",
];

/// The key a search by the beginning of a name compares: lower case, «ё» as «е», quotes and
/// punctuation dropped, the legal form at the front skipped: «ООО «Северный ветер»» and
/// «северный ВЕТЕР» both give «северный ветер».
pub fn name_key(name: &str) -> String {
    let cleaned: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ё' => 'е',
            c if c.is_alphanumeric() || c == '-' => c,
            _ => ' ',
        })
        .collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    loop {
        let joined = words.join(" ");
        let Some(form) = FORMS.iter().find(|f| {
            joined == **f
                || joined
                    .strip_prefix(**f)
                    .is_some_and(|rest| rest.starts_with(' '))
        }) else {
            return joined;
        };
        if joined == *form {
            // A name that is only a legal form keeps it.
            return joined;
        }
        words.drain(..form.split(' ').count());
    }
}

/// What a person looks a company up by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompanyQuery {
    Inn(String),
    Ogrn(String),
    /// The [`name_key`] of the beginning of the name.
    Name(String),
}

/// What a search says when it cannot tell what was typed.
pub const QUERY_MESSAGE: &str =
    "Введите ИНН (10 или 12 цифр), ОГРН (13 или 15 цифр) или не меньше двух букв названия";

impl CompanyQuery {
    pub fn parse(input: &str) -> Result<CompanyQuery, String> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
            return match compact.len() {
                10 | 12 => Inn::parse(&compact)
                    .map(|i| CompanyQuery::Inn(i.as_str().to_string()))
                    .map_err(|e| e.to_string()),
                13 | 15 => Ogrn::parse(&compact)
                    .map(|o| CompanyQuery::Ogrn(o.as_str().to_string()))
                    .map_err(|e| e.to_string()),
                _ => Err(QUERY_MESSAGE.to_string()),
            };
        }
        let key = name_key(input);
        if key.chars().filter(|c| c.is_alphanumeric()).count() < 2 || FORMS.contains(&key.as_str())
        {
            return Err(QUERY_MESSAGE.to_string());
        }
        Ok(CompanyQuery::Name(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Day {
        Day::new(2026, 12, 7).expect("a day")
    }

    fn wind() -> CompanyDraft {
        CompanyDraft {
            kind: "legal".into(),
            full_name: "Общество с ограниченной ответственностью «Северный ветер»".into(),
            short_name: "ООО «Северный ветер»".into(),
            inn: "2225007312".into(),
            kpp: "222501001".into(),
            ogrn: "1192225000813".into(),
            registered: "14.03.2019".into(),
            region: "22".into(),
            legal_address: "656038, Алтайский край, г. Барнаул, пр-кт Ленина, д. 10".into(),
            head_name: "Соколов Андрей Викторович".into(),
            head_position: "Генеральный директор".into(),
            status: "active".into(),
            ..CompanyDraft::default()
        }
    }

    fn fields(result: Result<Company, Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_valid_company_passes_and_keeps_its_fields() {
        let company = wind().check(today()).expect("valid");
        assert_eq!(company.title(), "ООО «Северный ветер»");
        assert_eq!(company.registered.caption(), "14.03.2019");
        assert_eq!(company.region_name(), "Алтайский край");
        assert!(!company.address_in_flat);
        assert_eq!(company.draft().check(today()), Ok(company));
    }

    #[test]
    fn a_wrong_digit_is_named_by_its_field() {
        let mut draft = wind();
        draft.inn = "2225007313".into();
        draft.ogrn = "1192225000814".into();
        let errors = draft.check(today()).expect_err("two wrong digits");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "inn");
        assert_eq!(errors[0].message, "Неверное контрольное число ИНН");
        assert_eq!(errors[1].field, "ogrn");
        assert_eq!(errors[1].message, "Неверное контрольное число ОГРН");
    }

    #[test]
    fn an_entrepreneur_has_a_12_digit_inn_an_ogrnip_and_no_kpp() {
        let ip = CompanyDraft {
            kind: "entrepreneur".into(),
            full_name: "Индивидуальный предприниматель Кузнецова Мария Петровна".into(),
            short_name: "ИП Кузнецова Мария Петровна".into(),
            inn: "772103485146".into(),
            ogrn: "320774600123457".into(),
            registered: "2020-09-11".into(),
            region: "77".into(),
            status: "active".into(),
            ..CompanyDraft::default()
        };
        let company = ip.clone().check(today()).expect("valid");
        assert_eq!(company.kpp, "");
        let with_kpp = CompanyDraft {
            kpp: "772101001".into(),
            ..ip.clone()
        };
        assert_eq!(fields(with_kpp.check(today())), ["kpp"]);
        let org_inn = CompanyDraft {
            inn: "2225007312".into(),
            ogrn: "1192225000813".into(),
            ..ip
        };
        assert_eq!(fields(org_inn.check(today())), ["inn", "ogrn"]);
    }

    #[test]
    fn required_fields_dates_regions_and_statuses() {
        let draft = CompanyDraft {
            full_name: "  ".into(),
            registered: "31.02.2020".into(),
            region: "00".into(),
            status: "open".into(),
            ..wind()
        };
        assert_eq!(
            fields(draft.check(today())),
            ["full_name", "registered", "region", "status"]
        );
        let future = CompanyDraft {
            registered: "08.12.2026".into(),
            ..wind()
        };
        assert_eq!(fields(future.check(today())), ["registered"]);
        let no_kind = CompanyDraft {
            kind: String::new(),
            ..wind()
        };
        assert_eq!(fields(no_kind.check(today())), ["kind"]);
    }

    #[test]
    fn a_flat_is_recognised_in_the_address() {
        assert!(address_in_flat("г. Москва, ул. Тверская, д. 7, кв. 12"));
        assert!(address_in_flat("МОСКВА, УЛ ТВЕРСКАЯ, ДОМ 7, КВАРТИРА 12"));
        assert!(!address_in_flat("г. Москва, Квартирный пер., д. 3, офис 2"));
    }

    #[test]
    fn the_name_key_skips_the_form_quotes_and_case() {
        assert_eq!(name_key("ООО «Северный ветер»"), "северный ветер");
        assert_eq!(
            name_key("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ \"СЕВЕРНЫЙ ВЕТЕР\""),
            "северный ветер"
        );
        assert_eq!(
            name_key("АО «Тестовый завод», Новосибирский филиал"),
            "тестовый завод новосибирский филиал"
        );
        assert_eq!(
            name_key("ИП Кузнецова Мария Петровна"),
            "кузнецова мария петровна"
        );
        assert_eq!(name_key("Ёлка"), "елка");
        assert_eq!(name_key("АО"), "ао");
        assert_eq!(name_key("Аорта"), "аорта");
    }

    #[test]
    fn a_query_is_an_inn_an_ogrn_or_a_name() {
        assert_eq!(
            CompanyQuery::parse(" 2225007312 "),
            Ok(CompanyQuery::Inn("2225007312".into()))
        );
        assert_eq!(
            CompanyQuery::parse("1192225000813"),
            Ok(CompanyQuery::Ogrn("1192225000813".into()))
        );
        assert_eq!(
            CompanyQuery::parse("320774600123457"),
            Ok(CompanyQuery::Ogrn("320774600123457".into()))
        );
        assert_eq!(
            CompanyQuery::parse("ооо северн"),
            Ok(CompanyQuery::Name("северн".into()))
        );
        assert_eq!(
            CompanyQuery::parse("2225007313"),
            Err("Неверное контрольное число ИНН".into())
        );
        assert_eq!(CompanyQuery::parse("12345"), Err(QUERY_MESSAGE.into()));
        assert_eq!(CompanyQuery::parse("ООО"), Err(QUERY_MESSAGE.into()));
        assert_eq!(CompanyQuery::parse("«"), Err(QUERY_MESSAGE.into()));
    }

    proptest! {
        #[test]
        fn the_name_key_is_stable(name in "\\PC{0,40}") {
            let key = name_key(&name);
            prop_assert_eq!(name_key(&key), key.clone());
            prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        }

        #[test]
        fn a_query_never_panics(input in "\\PC{0,30}") {
            let _ = CompanyQuery::parse(&input);
        }
    }
}
