//! The payment QR code of ГОСТ Р 56042-2014 («Стандарты финансовых операций. Двумерные
//! символы штрихового кода для осуществления платежей физических лиц»), printed on receipts
//! and read by banks' apps: `ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|…`.

use crate::money::Kopecks;
use crate::requisites::{Bic, CorrespondentAccount, Inn, SettlementAccount};
use serde::{Deserialize, Serialize};

/// Format identifier ST0001, version, and «2»: the values are UTF-8.
const HEADER: &str = "ST00012";
/// The mandatory block (header and the five mandatory fields) may take at most this many bytes.
pub const MANDATORY_LIMIT: usize = 300;

/// Who receives the payment: the provider, with checked requisites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payee {
    pub name: String,
    pub inn: Inn,
    pub bank_name: String,
    pub bic: Bic,
    pub account: SettlementAccount,
    pub correspondent_account: CorrespondentAccount,
}

/// What a receipt asks to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest<'a> {
    pub payee: &'a Payee,
    /// The customer's personal account with the provider (`PersAcc`).
    pub personal_account: &'a str,
    pub sum: Kopecks,
    /// The month paid for, 1–12, and its year (`PaymPeriod`, ММГГГГ).
    pub month: u8,
    pub year: i16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentQrError {
    #[error("Поле {0} не может содержать символ «|»")]
    Separator(&'static str),
    #[error("Обязательная часть QR-кода длиннее {MANDATORY_LIMIT} байт")]
    TooLong,
    #[error("Сумма платежа должна быть больше нуля")]
    Sum,
    #[error("Неверный месяц периода оплаты")]
    Period,
}

fn field(name: &'static str, value: &str) -> Result<String, PaymentQrError> {
    if value.contains('|') {
        return Err(PaymentQrError::Separator(name));
    }
    Ok(format!("|{name}={}", value.trim()))
}

/// The text of the QR code: the mandatory block, then the payee's ИНН, the personal account,
/// the sum in kopecks and the period.
pub fn payment_qr_payload(request: &PaymentRequest<'_>) -> Result<String, PaymentQrError> {
    if request.sum.0 <= 0 {
        return Err(PaymentQrError::Sum);
    }
    if !(1..=12).contains(&request.month) || request.year < 2000 {
        return Err(PaymentQrError::Period);
    }
    let payee = request.payee;
    let mut payload = String::from(HEADER);
    payload.push_str(&field("Name", &payee.name)?);
    payload.push_str(&field("PersonalAcc", payee.account.as_str())?);
    payload.push_str(&field("BankName", &payee.bank_name)?);
    payload.push_str(&field("BIC", payee.bic.as_str())?);
    payload.push_str(&field("CorrespAcc", payee.correspondent_account.as_str())?);
    if payload.len() > MANDATORY_LIMIT {
        return Err(PaymentQrError::TooLong);
    }
    payload.push_str(&field("PayeeINN", payee.inn.as_str())?);
    payload.push_str(&field("PersAcc", request.personal_account)?);
    payload.push_str(&format!("|Sum={}", request.sum.0));
    payload.push_str(&format!(
        "|PaymPeriod={:02}{:04}",
        request.month, request.year
    ));
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payee(name: &str) -> Payee {
        let bic = Bic::parse("044525225").unwrap();
        Payee {
            name: name.to_string(),
            inn: Inn::parse("7707083893").unwrap(),
            bank_name: "ПАО Сбербанк".to_string(),
            account: SettlementAccount::parse("40702810938000000001", &bic).unwrap(),
            correspondent_account: CorrespondentAccount::parse("30101810400000000225", &bic)
                .unwrap(),
            bic,
        }
    }

    #[test]
    fn the_payload_follows_the_standard() {
        let payee = payee("АО «Энергосбыт»");
        let payload = payment_qr_payload(&PaymentRequest {
            payee: &payee,
            personal_account: "1000123456",
            sum: Kopecks(123456),
            month: 10,
            year: 2026,
        })
        .unwrap();
        assert_eq!(
            payload,
            "ST00012|Name=АО «Энергосбыт»|PersonalAcc=40702810938000000001|BankName=ПАО Сбербанк\
             |BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7707083893\
             |PersAcc=1000123456|Sum=123456|PaymPeriod=102026"
        );
    }

    #[test]
    fn bad_values_are_refused() {
        let long = payee(&"Я".repeat(150));
        let request = |payee: &Payee, sum, month| {
            payment_qr_payload(&PaymentRequest {
                payee,
                personal_account: "1",
                sum: Kopecks(sum),
                month,
                year: 2026,
            })
        };
        assert_eq!(request(&long, 100, 1), Err(PaymentQrError::TooLong));
        let piped = payee("ООО |Вода|");
        assert_eq!(
            request(&piped, 100, 1),
            Err(PaymentQrError::Separator("Name"))
        );
        let fine = payee("ООО Вода");
        assert_eq!(request(&fine, 0, 1), Err(PaymentQrError::Sum));
        assert_eq!(request(&fine, 100, 13), Err(PaymentQrError::Period));
        assert!(request(&fine, 100, 12).is_ok());
    }
}
