//! `kabinet import egrul <file>`: the Federal Tax Service's ЕГРЮЛ and ЕГРИП extracts in XML
//! (the open-data sets and single extracts share the elements): every `СвЮЛ` gives an
//! organisation and, from `СвПодразд/СвФилиал`, its branches; every `СвИП` an entrepreneur.
//! The file is plain XML in windows-1251 (as the service publishes it) or UTF-8, or a zip of
//! such files. docs/import.md «The company registry» lists the elements read.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1251};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use shared::regions::region_name;
use shared::registry::{CompanyDraft, CompanyKind, CompanyStatus};
use std::io::Read;

/// The most an archive's file may unpack to (a guard against a zip bomb).
const MAX_UNPACKED: u64 = 1 << 30;

/// The text of a file: in the encoding its XML declaration names, else UTF-8 when it is valid
/// UTF-8, else windows-1251.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> String {
    let encoding = declared.or_else(|| declared_encoding(bytes)).unwrap_or(
        if std::str::from_utf8(bytes).is_ok() {
            UTF_8
        } else {
            WINDOWS_1251
        },
    );
    encoding.decode_with_bom_removal(bytes).0.into_owned()
}

/// The `encoding="…"` of an XML declaration at the start of the file.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let declaration = head.strip_prefix('\u{feff}').unwrap_or(&head);
    let declaration = declaration.strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let at = declaration.find("encoding")?;
    let rest = declaration[at + "encoding".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    let label = rest[1..].split(quote).next()?;
    Encoding::for_label(label.as_bytes())
}

/// Reads a file (XML, or a zip of XML files) into drafts, each with its place: the file in
/// the archive, the line and the element. Malformed XML refuses the file.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, CompanyDraft)>, Vec<String>> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return read_xml(&decode(bytes, None), "");
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| vec![format!("архив не читается: {e}")])?;
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for index in 0..archive.len() {
        let mut file = match archive.by_index(index) {
            Ok(f) => f,
            Err(e) => {
                errors.push(format!("файл №{} архива: {e}", index + 1));
                continue;
            }
        };
        let name = file
            .name()
            .map_or_else(|_| format!("файл №{}", index + 1), |n| n.into_owned());
        if file.is_dir() || !name.to_lowercase().ends_with(".xml") {
            continue;
        }
        let mut content = Vec::new();
        if let Err(e) = (&mut file).take(MAX_UNPACKED + 1).read_to_end(&mut content) {
            errors.push(format!("{name}: {e}"));
            continue;
        }
        if content.len() as u64 > MAX_UNPACKED {
            errors.push(format!("{name}: больше 1 ГБ после распаковки"));
            continue;
        }
        match read_xml(&decode(&content, None), &format!("{name}: ")) {
            Ok(mut d) => drafts.append(&mut d),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if drafts.is_empty() && errors.is_empty() {
        errors.push("в архиве нет файлов XML".to_string());
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

/// An address as its parts appear.
#[derive(Debug, Default)]
struct Address {
    index: String,
    region: String,
    parts: Vec<String>,
    house: Vec<String>,
}

impl Address {
    fn text(&self) -> String {
        let mut all = Vec::new();
        if !self.index.is_empty() {
            all.push(self.index.clone());
        }
        if let Some(name) = region_name(&self.region) {
            all.push(name.to_string());
        }
        all.extend(self.parts.iter().cloned());
        all.extend(self.house.iter().cloned());
        all.join(", ")
    }
}

/// A branch of the organisation being read.
#[derive(Debug, Default)]
struct Branch {
    line: usize,
    name: String,
    kpp: String,
    address: Address,
}

/// The organisation or entrepreneur being read.
#[derive(Debug, Default)]
struct Entry {
    entrepreneur: bool,
    line: usize,
    inn: String,
    kpp: String,
    ogrn: String,
    registered: String,
    registered_before_ogrn: String,
    full_name: String,
    short_name: String,
    address: Address,
    unreliable: bool,
    head: Vec<String>,
    head_position: String,
    status: Option<CompanyStatus>,
    branches: Vec<Branch>,
}

fn attr(e: &BytesStart, name: &str) -> String {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// «СОКОЛОВ АНДРЕЙ ВИКТОРОВИЧ» → «Соколов Андрей Викторович».
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            word.split('-')
                .map(|part| {
                    let mut chars = part.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first
                            .to_uppercase()
                            .chain(chars.flat_map(char::to_lowercase))
                            .collect()
                    })
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// «ГЕНЕРАЛЬНЫЙ ДИРЕКТОР» → «Генеральный директор».
fn sentence_case(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let mut chars = lower.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A status of the register in words that means the company is being wound up.
fn winding_up(status: &str) -> bool {
    let status = status.to_lowercase();
    ["ликвидац", "исключ", "банкрот", "прекращ"]
        .iter()
        .any(|w| status.contains(w))
}

const ADDRESS_ROOTS: [&str; 5] = [
    "СвАдресЮЛ",
    "СвАдрМЖ",
    "АдрМНРФ",
    "АдрМНФИАС",
    "СвАдрЮЛФИАС",
];

/// Reads one XML text; `prefix` names the file inside an archive.
fn read_xml(text: &str, prefix: &str) -> Result<Vec<(String, CompanyDraft)>, Vec<String>> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<String> = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut drafts = Vec::new();
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        let event = reader.read_event();
        // The line the event ends on.
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        if let Some(slice) = text.get(counted_to..position) {
            line += slice.matches('\n').count();
            counted_to = position;
        }
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                return Err(vec![format!("{prefix}строка {line}: ошибка XML: {e}")]);
            }
        };
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                open(&mut entry, &stack, &name, &e, line);
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                open(&mut entry, &stack, &name, &e, line);
                if name == "СвЮЛ" || name == "СвИП" {
                    drafts.extend(finish(entry.take(), prefix));
                }
            }
            Event::Text(t) => {
                if let (Some(entry), Some("Регион")) =
                    (entry.as_mut(), stack.last().map(String::as_str))
                    && stack.iter().any(|s| ADDRESS_ROOTS.contains(&s.as_str()))
                {
                    let code = t.xml_content(XmlVersion::Implicit1_0);
                    let code = code.trim();
                    if code.len() == 2 && code.chars().all(|c| c.is_ascii_digit()) {
                        match entry.branches.last_mut() {
                            Some(branch) if stack.iter().any(|s| s == "СвФилиал") => {
                                branch.address.region = code.to_string();
                            }
                            _ => entry.address.region = code.to_string(),
                        }
                    }
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                stack.pop();
                if name == "СвЮЛ" || name == "СвИП" {
                    drafts.extend(finish(entry.take(), prefix));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if drafts.is_empty() {
        return Err(vec![format!(
            "{prefix}в файле нет сведений о компаниях (элементов СвЮЛ или СвИП)"
        )]);
    }
    Ok(drafts)
}

/// What an opening element adds to the entry being read.
fn open(entry: &mut Option<Entry>, stack: &[String], name: &str, e: &BytesStart, line: usize) {
    match name {
        "СвЮЛ" => {
            *entry = Some(Entry {
                line,
                inn: attr(e, "ИНН"),
                kpp: attr(e, "КПП"),
                ogrn: attr(e, "ОГРН"),
                registered: attr(e, "ДатаОГРН"),
                ..Entry::default()
            });
            return;
        }
        "СвИП" => {
            *entry = Some(Entry {
                entrepreneur: true,
                line,
                inn: attr(e, "ИННФЛ"),
                ogrn: attr(e, "ОГРНИП"),
                registered: attr(e, "ДатаОГРНИП"),
                ..Entry::default()
            });
            return;
        }
        _ => {}
    }
    let Some(entry) = entry.as_mut() else { return };
    let inside = |what: &str| stack.iter().any(|s| s == what);
    if inside("СвФилиал") {
        let Some(branch) = entry.branches.last_mut() else {
            return;
        };
        match name {
            "СвНаим" => branch.name = attr(e, "НаимПолн"),
            "СвУчетНОФилиал" => branch.kpp = attr(e, "КПП"),
            _ => address_part(&mut branch.address, stack, name, e),
        }
        return;
    }
    match name {
        "СвФилиал" => entry.branches.push(Branch {
            line,
            ..Branch::default()
        }),
        "СвНаимЮЛ" => entry.full_name = attr(e, "НаимЮЛПолн"),
        "СвНаимЮЛСокр" => entry.short_name = attr(e, "НаимСокр"),
        "СвОбрЮЛ" => entry.registered_before_ogrn = attr(e, "ДатаРег"),
        "СвПрекрЮЛ" | "СвПрекращ" => entry.status = Some(CompanyStatus::Closed),
        "СвСтатус" => {
            let status = [attr(e, "НаимСтатусЮЛ"), attr(e, "НаимСтатус")].concat();
            if winding_up(&status) && entry.status.is_none() {
                entry.status = Some(CompanyStatus::Liquidating);
            }
        }
        "СвНедАдресЮЛ" | "СвНедДанДолжнФЛ" | "СвНедДанУчр" => {
            entry.unreliable = true
        }
        // The head: the first person with the right to act without a power of attorney.
        "СвФЛ" | "ФИОРус"
            if entry.head.is_empty()
                && (entry.entrepreneur || inside("СведДолжнФЛ"))
                && !attr(e, "Фамилия").is_empty() =>
        {
            entry.head = vec![
                title_case(&attr(e, "Фамилия")),
                title_case(&attr(e, "Имя")),
                title_case(&attr(e, "Отчество")),
            ];
        }
        "СвДолжн" if entry.head_position.is_empty() && inside("СведДолжнФЛ") => {
            entry.head_position = sentence_case(&attr(e, "НаимДолжн"));
        }
        _ if inside("СвАдресЮЛ") || inside("СвАдрМЖ") => {
            address_part(&mut entry.address, stack, name, e);
        }
        _ => {}
    }
}

/// What an element inside an address adds to it.
fn address_part(address: &mut Address, stack: &[String], name: &str, e: &BytesStart) {
    match name {
        "АдресРФ" | "АдрМНРФ" | "СвАдрЮЛФИАС" | "АдрМНФИАС" => {
            address.index = attr(e, "Индекс");
            let region = attr(e, "КодРегион");
            if !region.is_empty() {
                address.region = region;
            }
            for part in ["Дом", "Корпус", "Кварт"] {
                let value = attr(e, part);
                if !value.is_empty() {
                    address.house.push(value);
                }
            }
        }
        // The region's name comes from the code; `НаимРегион` repeats it.
        "Регион" | "НаимРегион" => {}
        _ if stack.iter().any(|s| ADDRESS_ROOTS.contains(&s.as_str())) => {
            let mut kind = String::new();
            let mut value = String::new();
            for a in e.attributes().with_checks(false).flatten() {
                let key = a.key.as_ref();
                let text = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default();
                if (key.starts_with("Тип") || key == "Вид") && kind.is_empty() {
                    kind = text;
                } else if (key.starts_with("Наим") || key == "Номер") && value.is_empty() {
                    value = text;
                }
            }
            if !value.is_empty() {
                let part = if kind.is_empty() {
                    value
                } else {
                    format!("{kind} {value}")
                };
                address.parts.push(part);
            }
        }
        _ => {}
    }
}

/// The drafts of a finished entry: the organisation or entrepreneur, and its branches.
fn finish(entry: Option<Entry>, prefix: &str) -> Vec<(String, CompanyDraft)> {
    let Some(entry) = entry else {
        return Vec::new();
    };
    let tag = if entry.entrepreneur {
        "СвИП"
    } else {
        "СвЮЛ"
    };
    let place = |line: usize, inn: &str| {
        if inn.is_empty() {
            format!("{prefix}строка {line}, {tag}")
        } else {
            format!("{prefix}строка {line}, {tag} ИНН {inn}")
        }
    };
    let region = |address: &Address, fallback: &str| {
        if address.region.is_empty() {
            fallback.chars().take(2).collect()
        } else {
            address.region.clone()
        }
    };
    let status = entry
        .status
        .unwrap_or(CompanyStatus::Active)
        .code()
        .to_string();
    let registered = if entry.registered_before_ogrn.is_empty() {
        entry.registered.clone()
    } else {
        entry.registered_before_ogrn.clone()
    };
    let head_name = entry
        .head
        .iter()
        .filter(|w| !w.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let (full_name, short_name) = if entry.entrepreneur {
        (
            format!("Индивидуальный предприниматель {head_name}"),
            format!("ИП {head_name}"),
        )
    } else {
        (entry.full_name.clone(), entry.short_name.clone())
    };
    let company = CompanyDraft {
        kind: if entry.entrepreneur {
            CompanyKind::Entrepreneur
        } else {
            CompanyKind::Legal
        }
        .code()
        .to_string(),
        full_name,
        short_name: short_name.clone(),
        inn: entry.inn.clone(),
        kpp: entry.kpp.clone(),
        ogrn: entry.ogrn.clone(),
        registered: registered.clone(),
        region: region(&entry.address, &entry.inn),
        legal_address: entry.address.text(),
        unreliable: entry.unreliable,
        head_name: head_name.clone(),
        head_position: if entry.entrepreneur {
            String::new()
        } else {
            entry.head_position.clone()
        },
        status: status.clone(),
        tax_debt: false,
    };
    let mut drafts = vec![(place(entry.line, &entry.inn), company)];
    for branch in &entry.branches {
        let title = if short_name.is_empty() {
            &entry.full_name
        } else {
            &short_name
        };
        drafts.push((
            format!(
                "{prefix}строка {}, СвФилиал КПП {}",
                branch.line, branch.kpp
            ),
            CompanyDraft {
                kind: CompanyKind::Branch.code().to_string(),
                full_name: if branch.name.is_empty() {
                    format!("{title}, филиал")
                } else {
                    branch.name.clone()
                },
                // Named after the head, so that a search by its name finds the branch too.
                short_name: if branch.name.is_empty() {
                    format!("{title}, филиал")
                } else {
                    format!("{title}, {}", branch.name)
                },
                inn: entry.inn.clone(),
                kpp: branch.kpp.clone(),
                ogrn: entry.ogrn.clone(),
                registered: registered.clone(),
                region: region(&branch.address, &branch.kpp),
                legal_address: branch.address.text(),
                unreliable: false,
                head_name: String::new(),
                head_position: String::new(),
                status: status.clone(),
                tax_debt: false,
            },
        ));
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXTRACT: &str = r#"<?xml version="1.0" encoding="windows-1251"?>
<Файл ИдФайл="EGRUL_TEST" ВерсФорм="4.06" ТипИнф="ЕГРЮЛ_ОТКР_СВЕД" КолДок="1">
  <Документ ИдДок="1">
    <СвЮЛ ДатаВып="2026-12-01" ОГРН="1157746123457" ДатаОГРН="2015-02-02" ИНН="7705009125" КПП="770501001" ПолнНаимОПФ="Акционерное общество">
      <СвНаимЮЛ НаимЮЛПолн="АКЦИОНЕРНОЕ ОБЩЕСТВО &quot;ТЕСТОВЫЙ ЗАВОД&quot;">
        <СвНаимЮЛСокр НаимСокр="АО &quot;ТЕСТОВЫЙ ЗАВОД&quot;"/>
      </СвНаимЮЛ>
      <СвАдресЮЛ>
        <СвАдрЮЛФИАС Индекс="115114">
          <Регион>77</Регион>
          <НаимРегион>ГОРОД МОСКВА</НаимРегион>
          <ЭлУлДорСети Тип="ул." Наим="Дербеневская"/>
          <Здание Тип="д." Номер="20"/>
          <ПомещЗдания Тип="помещ." Номер="1"/>
        </СвАдрЮЛФИАС>
      </СвАдресЮЛ>
      <СведДолжнФЛ>
        <СвФЛ Фамилия="ЕРШОВА" Имя="ОЛЬГА" Отчество="НИКОЛАЕВНА" ИННФЛ="771234567890"/>
        <СвДолжн ВидДолжн="02" НаимВидДолжн="Руководитель юридического лица" НаимДолжн="ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"/>
      </СведДолжнФЛ>
      <СвУчредит><УчрФЛ><СвФЛ Фамилия="ПЕТРОВ" Имя="ПЁТР"/></УчрФЛ></СвУчредит>
      <СвПодразд>
        <СвФилиал>
          <СвНаим НаимПолн="НОВОСИБИРСКИЙ ФИЛИАЛ АО &quot;ТЕСТОВЫЙ ЗАВОД&quot;"/>
          <АдрМНРФ Индекс="630099" КодРегион="54" Дом="ДОМ 5">
            <Город ТипГород="ГОРОД" НаимГород="НОВОСИБИРСК"/>
            <Улица ТипУлица="УЛИЦА" НаимУлица="ЛЕНИНА"/>
          </АдрМНРФ>
          <СвУчетНОФилиал КПП="540243001"/>
        </СвФилиал>
      </СвПодразд>
    </СвЮЛ>
  </Документ>
  <Документ ИдДок="2">
    <СвИП ОГРНИП="320774600123457" ДатаОГРНИП="2020-09-11" ИННФЛ="772103485146">
      <СвФЛ Пол="2"><ФИОРус Фамилия="КУЗНЕЦОВА" Имя="МАРИЯ" Отчество="ПЕТРОВНА"/></СвФЛ>
      <СвАдрМЖ><АдресРФ КодРегион="77"/></СвАдрМЖ>
    </СвИП>
  </Документ>
</Файл>"#;

    fn cp1251(text: &str) -> Vec<u8> {
        WINDOWS_1251.encode(text).0.into_owned()
    }

    #[test]
    fn an_extract_gives_the_organisation_its_branch_and_an_entrepreneur() {
        let drafts = read(&cp1251(EXTRACT)).expect("read");
        assert_eq!(drafts.len(), 3);
        let (place, org) = &drafts[0];
        assert_eq!(place, "строка 4, СвЮЛ ИНН 7705009125");
        assert_eq!(org.short_name, "АО \"ТЕСТОВЫЙ ЗАВОД\"");
        assert_eq!(org.region, "77");
        assert_eq!(
            org.legal_address,
            "115114, Москва, ул. Дербеневская, д. 20, помещ. 1"
        );
        assert_eq!(org.head_name, "Ершова Ольга Николаевна");
        assert_eq!(org.head_position, "Генеральный директор");
        assert_eq!(org.registered, "2015-02-02");
        let (_, branch) = &drafts[1];
        assert_eq!(branch.kind, "branch");
        assert_eq!(branch.kpp, "540243001");
        assert_eq!(branch.region, "54");
        assert_eq!(
            branch.legal_address,
            "630099, Новосибирская область, ГОРОД НОВОСИБИРСК, УЛИЦА ЛЕНИНА, ДОМ 5"
        );
        let (_, ip) = &drafts[2];
        assert_eq!(ip.short_name, "ИП Кузнецова Мария Петровна");
        assert_eq!(ip.kind, "entrepreneur");
        assert_eq!(ip.region, "77");
        let today = shared::calendar::Day::new(2026, 12, 7).expect("a day");
        for (_, draft) in drafts {
            assert!(draft.check(today).is_ok(), "{draft:?}");
        }
    }

    #[test]
    fn a_zip_of_extracts_is_read_and_malformed_xml_refused() {
        use std::io::Write;
        let mut buffer = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buffer);
            zip.start_file("EGRUL_1.xml", zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(&cp1251(EXTRACT)).expect("written");
            zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(b"not xml").expect("written");
            zip.finish().expect("finished");
        }
        let drafts = read(buffer.get_ref()).expect("read");
        assert_eq!(drafts.len(), 3);
        assert!(drafts[0].0.starts_with("EGRUL_1.xml: строка 4"));

        let broken = read("<Файл>\n<СвЮЛ ИНН=\"1\">\n</Файл>".as_bytes()).expect_err("broken");
        assert_eq!(broken.len(), 1);
        assert!(broken[0].starts_with("строка 3: ошибка XML"), "{broken:?}");
        let empty = read("<Файл/>".as_bytes()).expect_err("no companies");
        assert_eq!(
            empty,
            ["в файле нет сведений о компаниях (элементов СвЮЛ или СвИП)"]
        );
    }

    #[test]
    fn liquidation_and_unreliable_addresses_are_marked() {
        let xml = r#"<Файл><Документ><СвЮЛ ОГРН="1192225000813" ДатаОГРН="2019-03-14" ИНН="2225007312" КПП="222501001">
            <СвНаимЮЛ НаимЮЛПолн="ООО СЕВЕРНЫЙ ВЕТЕР"/>
            <СвАдресЮЛ><АдресРФ КодРегион="22" Дом="ДОМ 1" Кварт="КВАРТИРА 12"/><СвНедАдресЮЛ ПризнНедАдресЮЛ="1"/></СвАдресЮЛ>
            <СвСтатус><СвСтатус КодСтатусЮЛ="101" НаимСтатусЮЛ="Находится в стадии ликвидации"/></СвСтатус>
        </СвЮЛ></Документ></Файл>"#;
        let drafts = read(xml.as_bytes()).expect("read");
        let today = shared::calendar::Day::new(2026, 12, 7).expect("a day");
        let company = drafts[0].1.check(today).expect("valid");
        assert!(company.unreliable);
        assert!(company.address_in_flat);
        assert_eq!(company.status, CompanyStatus::Liquidating);
    }

    #[test]
    fn the_declared_encoding_wins() {
        assert_eq!(
            declared_encoding(br#"<?xml version="1.0" encoding="windows-1251"?><a/>"#),
            Some(WINDOWS_1251)
        );
        assert_eq!(declared_encoding(b"<a/>"), None);
        assert_eq!(decode(&cp1251("Привет"), None), "Привет");
        assert_eq!(decode("Привет".as_bytes(), None), "Привет");
    }

    proptest! {
        #[test]
        fn any_bytes_are_refused_or_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(&bytes);
        }

        #[test]
        fn any_xml_like_text_is_refused_or_read_without_panic(text in "(<СвЮЛ ИНН=\"[0-9]{0,12}\"( )?/?>|</СвЮЛ>|<СвИП>|<Регион>[0-9]{2}</Регион>|<СвФилиал>|</СвФилиал>|<Файл>|</Файл>|\n){0,12}") {
            let _ = read(text.as_bytes());
        }
    }
}
