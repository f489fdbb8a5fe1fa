//! The company registry (M-5, S-8): `kabinet import egrul|companies` store a file whole or not
//! at all and again change nothing; lookups by ИНН, ОГРН and the beginning of the name; the
//! demo's companies exactly as documented; «Реестр компаний» in the back-office, where a
//! senior specialist corrects a company (audited) and an operator may not.

use crate::common::{call, each_backend, form, page_text, staff};
use server::registry::{self, Stored};
use shared::ApiError;
use shared::cases::Role;
use shared::registry::{CompanyKind, CompanyQuery, CompanySearch, CompanyStatus, RegistryEntry};

fn file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "kabinet_registry_{}_{}_{name}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::write(&path, bytes).unwrap();
    path
}

const EXTRACT: &str = r#"<?xml version="1.0" encoding="windows-1251"?>
<Файл ИдФайл="EGRUL" ВерсФорм="4.06">
<Документ ИдДок="1">
<СвЮЛ ОГРН="1157746123457" ДатаОГРН="2015-02-02" ИНН="7705009125" КПП="770501001">
<СвНаимЮЛ НаимЮЛПолн="АКЦИОНЕРНОЕ ОБЩЕСТВО &quot;ТЕСТОВЫЙ ЗАВОД&quot;"><СвНаимЮЛСокр НаимСокр="АО &quot;ТЕСТОВЫЙ ЗАВОД&quot;"/></СвНаимЮЛ>
<СвАдресЮЛ><АдресРФ Индекс="115114" КодРегион="77" Дом="ДОМ 20"><Улица ТипУлица="УЛИЦА" НаимУлица="ДЕРБЕНЕВСКАЯ"/></АдресРФ></СвАдресЮЛ>
<СведДолжнФЛ><СвФЛ Фамилия="ЕРШОВА" Имя="ОЛЬГА" Отчество="НИКОЛАЕВНА"/><СвДолжн НаимДолжн="ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"/></СведДолжнФЛ>
<СвПодразд><СвФилиал><СвНаим НаимПолн="НОВОСИБИРСКИЙ ФИЛИАЛ"/><АдрМНРФ КодРегион="54"/><СвУчетНОФилиал КПП="540243001"/></СвФилиал></СвПодразд>
</СвЮЛ>
</Документ>
</Файл>"#;

async fn lookup(app: &crate::common::TestApp, query: &str) -> Vec<RegistryEntry> {
    app.services
        .registry
        .lookup(&CompanyQuery::parse(query).unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn imports_are_whole_idempotent_and_found_by_inn_ogrn_and_name() {
    each_backend(|app| async move {
        let db = &app.services.db;
        let clock = app.services.clock.as_ref();
        // A CSV with a wrong control digit on line 3: refused, nothing stored.
        let bad = file(
            "bad.csv",
            "inn;kpp;ogrn;full_name;short_name;registered;region;legal_address;tax_debt\n\
             7718004558;771801001;1247700044338;Общество с ограниченной ответственностью «Листок»;ООО «Листок»;20.05.2024;77;г. Москва, ул. Подбельского, д. 4, кв. 12;1\n\
             2225007313;222501001;1192225000813;ООО «Северный ветер»;;14.03.2019;22;;\n"
                .as_bytes(),
        );
        assert_eq!(
            registry::import_file(db, clock, "companies", &bad)
                .await
                .unwrap(),
            1
        );
        assert_eq!(registry::count(db).await.unwrap(), 0);

        let good = file(
            "good.csv",
            "inn;kpp;ogrn;full_name;short_name;registered;region;legal_address;tax_debt\n\
             7718004558;771801001;1247700044338;Общество с ограниченной ответственностью «Листок»;ООО «Листок»;20.05.2024;77;г. Москва, ул. Подбельского, д. 4, кв. 12;1\n\
             2225007312;222501001;1192225000813;ООО «Северный ветер»;;14.03.2019;22;;\n"
                .as_bytes(),
        );
        assert_eq!(
            registry::import_file(db, clock, "companies", &good)
                .await
                .unwrap(),
            0
        );
        // The ЕГРЮЛ extract in windows-1251, zipped: the organisation and its branch.
        let mut zipped = std::io::Cursor::new(Vec::new());
        {
            use std::io::Write;
            let mut zip = zip::ZipWriter::new(&mut zipped);
            zip.start_file("EGRUL.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&encoding_rs::WINDOWS_1251.encode(EXTRACT).0)
                .unwrap();
            zip.finish().unwrap();
        }
        let extract = file("egrul.zip", zipped.get_ref());
        assert_eq!(
            registry::import_file(db, clock, "egrul", &extract)
                .await
                .unwrap(),
            0
        );
        assert_eq!(registry::count(db).await.unwrap(), 4);
        // The same files again change nothing.
        let companies = registry::egrul::read(zipped.get_ref()).unwrap();
        let checked = registry::check_all(companies, clock.today()).unwrap();
        assert_eq!(
            registry::store(db, &checked, "egrul", clock.unix())
                .await
                .unwrap(),
            Stored {
                added: 0,
                changed: 0,
                unchanged: 2
            }
        );
        assert_eq!(
            registry::import_file(db, clock, "companies", &good)
                .await
                .unwrap(),
            0
        );
        assert_eq!(registry::count(db).await.unwrap(), 4);

        let by_inn = lookup(&app, "7705009125").await;
        assert_eq!(by_inn.len(), 2, "the organisation and its branch");
        assert_eq!(by_inn[0].company.kind, CompanyKind::Legal);
        assert_eq!(by_inn[0].company.head_name, "Ершова Ольга Николаевна");
        assert_eq!(by_inn[1].company.kind, CompanyKind::Branch);
        assert_eq!(by_inn[1].company.kpp, "540243001");
        assert_eq!(by_inn[1].company.region, "54");
        let by_ogrn = lookup(&app, "1247700044338").await;
        assert_eq!(by_ogrn.len(), 1);
        assert!(by_ogrn[0].company.address_in_flat && by_ogrn[0].company.tax_debt);
        let by_name = lookup(&app, "ооо северн").await;
        assert_eq!(by_name.len(), 1);
        assert_eq!(by_name[0].company.inn, "2225007312");
        assert!(lookup(&app, "Тестовый").await.len() == 2);
        assert!(lookup(&app, "Южный").await.is_empty());
        for path in [bad, good, extract] {
            let _ = std::fs::remove_file(path);
        }
    })
    .await;
}

#[tokio::test]
async fn the_demo_registry_holds_the_documented_companies() {
    each_backend(|app| async move {
        let db = &app.services.db;
        let clock = app.services.clock.as_ref();
        let stored = registry::demo::ensure(db, clock, true).await.unwrap();
        assert_eq!(stored.added, registry::demo::GENERATED + 5);
        // `make run` again: the registry is left as staff left it.
        assert_eq!(
            registry::demo::ensure(db, clock, true).await.unwrap(),
            Stored::default()
        );
        let wind = lookup(&app, "2225007312").await;
        let c = &wind[0].company;
        assert_eq!(
            (
                c.title(),
                c.kpp.as_str(),
                c.ogrn.as_str(),
                c.region.as_str(),
                c.registered.caption()
            ),
            (
                "ООО «Северный ветер»",
                "222501001",
                "1192225000813",
                "22",
                "14.03.2019".to_string()
            )
        );
        assert_eq!(
            (c.head_name.as_str(), c.head_position.as_str()),
            ("Соколов Андрей Викторович", "Генеральный директор")
        );
        let plant = lookup(&app, "7705009125").await;
        assert_eq!(plant.len(), 2);
        assert_eq!(
            plant[1].company.title(),
            "АО «Тестовый завод», Новосибирский филиал"
        );
        assert_eq!(plant[1].company.kpp, "540243001");
        let leaf = lookup(&app, "7718004558").await;
        assert!(leaf[0].company.address_in_flat && leaf[0].company.tax_debt);
        let ip = lookup(&app, "772103485146").await;
        assert_eq!(ip[0].company.title(), "ИП Кузнецова Мария Петровна");
        assert_eq!(ip[0].company.ogrn, "320774600123457");
        assert_eq!(ip[0].company.kpp, "");
    })
    .await;
}

#[tokio::test]
async fn staff_search_and_a_senior_specialist_corrects_a_company() {
    each_backend(|app| async move {
        let db = &app.services.db;
        registry::demo::ensure(db, app.services.clock.as_ref(), true)
            .await
            .unwrap();
        let operator = staff(&app, "op1", Role::Operator).await;
        let found: CompanySearch = call(
            &operator,
            &app,
            "/api/staff/companies",
            &[("q", "северный")],
        )
        .await
        .unwrap();
        assert_eq!(found.total, (registry::demo::GENERATED + 5) as i64);
        assert_eq!(found.entries.len(), 1);
        let id = found.entries[0].id.to_string();
        let bad: Result<CompanySearch, ApiError> = call(
            &operator,
            &app,
            "/api/staff/companies",
            &[("q", "2225007313")],
        )
        .await;
        assert_eq!(
            bad.unwrap_err().field_message("q"),
            Some("Неверное контрольное число ИНН")
        );
        // The page without script shows the result and the message next to the field.
        let page = page_text(&operator, &app, "/staff/companies?q=2225007312").await;
        assert!(page.contains("ООО «Северный ветер»"), "{page}");
        let page = page_text(&operator, &app, "/staff/companies?q=12345").await;
        assert!(page.contains(shared::registry::QUERY_MESSAGE));
        let card = page_text(&operator, &app, &format!("/staff/companies/{id}")).await;
        assert!(card.contains("Соколов Андрей Викторович"));
        assert!(card.contains("Исправлять сведения могут старший специалист и администратор."));

        let mut fields: Vec<(&str, String)> = vec![
            ("id", id.clone()),
            ("kind", "legal".into()),
            (
                "full_name",
                "Общество с ограниченной ответственностью «Северный ветер»".into(),
            ),
            ("short_name", "ООО «Северный ветер»".into()),
            ("inn", "2225007313".into()),
            ("kpp", "222501001".into()),
            ("ogrn", "1192225000813".into()),
            ("registered", "14.03.2019".into()),
            ("region", "22".into()),
            (
                "legal_address",
                "656038, Алтайский край, г. Барнаул, пр-кт Ленина, д. 10, офис 5".into(),
            ),
            ("head_name", "Белова Ирина Сергеевна".into()),
            ("head_position", "Генеральный директор".into()),
            ("status", "active".into()),
        ];
        let send = |client: reqwest::Client, f: Vec<(&'static str, String)>| {
            let app = &app;
            async move {
                let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                form(&client, app, "/api/staff/company/correct", &pairs).await
            }
        };
        assert_eq!(
            send(operator.clone(), fields.clone()).await,
            Err(ApiError::Forbidden),
            "an operator may not correct the registry"
        );
        let senior = staff(&app, "sup1", Role::Supervisor).await;
        // A wrong digit first: refused with the field's message, nothing changed.
        let refused = send(senior.clone(), fields.clone()).await.unwrap_err();
        assert_eq!(
            refused.field_message("inn"),
            Some("Неверное контрольное число ИНН")
        );
        let wind = lookup(&app, "2225007312").await;
        assert_eq!(wind[0].company.head_name, "Соколов Андрей Викторович");

        fields[4].1 = "2225007312".into();
        fields.push(("unreliable", "1".into()));
        send(senior.clone(), fields.clone()).await.unwrap();
        // The same form again changes nothing and writes nothing to the log.
        send(senior.clone(), fields.clone()).await.unwrap();
        let wind = lookup(&app, "2225007312").await;
        assert_eq!(wind[0].company.head_name, "Белова Ирина Сергеевна");
        assert!(wind[0].company.unreliable);
        assert_eq!(wind[0].company.status, CompanyStatus::Active);
        let logged: Vec<(String, String)> = sqlx::query_as(
            "SELECT target, detail FROM audit_log WHERE action = 'registry.correct'",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            logged,
            [(
                "ООО «Северный ветер» (ИНН 2225007312, КПП 222501001)".to_string(),
                "Руководитель: Соколов Андрей Викторович → Белова Ирина Сергеевна; \
                 Сведения недостоверны: нет → да"
                    .to_string()
            )]
        );
        let audit = page_text(&senior, &app, "/staff/audit").await;
        assert!(
            audit.contains("Реестр компаний: исправлены сведения"),
            "{audit}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_documented_example_files_import() {
    each_backend(|app| async move {
        let db = &app.services.db;
        let clock = app.services.clock.as_ref();
        let examples =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/import-examples");
        for (kind, name) in [("egrul", "egrul.xml"), ("companies", "companies.csv")] {
            assert_eq!(
                registry::import_file(db, clock, kind, &examples.join(name))
                    .await
                    .unwrap(),
                0,
                "{name}"
            );
        }
        // The entrepreneur is in both files: 2 + 1 from the extract, 2 more from the CSV.
        assert_eq!(registry::count(db).await.unwrap(), 5);
        let stone = lookup(&app, "уральский").await;
        assert_eq!(stone.len(), 2);
        assert_eq!(
            stone[0].company.legal_address,
            "620014, Свердловская область, город Екатеринбург, ул. Малышева, д. 5, офис 101"
        );
        assert_eq!(stone[1].company.region, "59");
        let bridge = lookup(&app, "5406013578").await;
        assert_eq!(bridge[0].company.status, CompanyStatus::Liquidating);
        assert!(bridge[0].company.unreliable && bridge[0].company.address_in_flat);
    })
    .await;
}
