//! Identity documents: the 12-digit citizen ID (CCCD / số định danh cá nhân), the old 9-digit
//! CMND, and passports. Built only through `parse`, so an impossible number cannot be stored.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Cccd,
    Cmnd,
    Passport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdNumber {
    pub kind: IdKind,
    pub number: String,
}

impl IdNumber {
    /// Accepts 12 digits (CCCD, whose first three digits are a province code 001–096), 9 digits
    /// (CMND) or a passport (one letter and 7–8 digits). Spaces and dots typed inside are ignored.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        let cleaned = cleaned.to_uppercase();
        if cleaned.chars().all(|c| c.is_ascii_digit()) {
            match cleaned.len() {
                12 => {
                    let province: u32 = cleaned[..3].parse().map_err(|_| "Số CCCD không hợp lệ")?;
                    if !(1..=96).contains(&province) {
                        return Err("Số CCCD không hợp lệ: 3 chữ số đầu phải là mã tỉnh (001–096)");
                    }
                    Ok(Self {
                        kind: IdKind::Cccd,
                        number: cleaned,
                    })
                }
                9 => Ok(Self {
                    kind: IdKind::Cmnd,
                    number: cleaned,
                }),
                _ => Err("Số giấy tờ không hợp lệ: CCCD có 12 chữ số, CMND có 9 chữ số"),
            }
        } else {
            let mut chars = cleaned.chars();
            let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_uppercase());
            let rest: String = chars.collect();
            if first_is_letter
                && (7..=8).contains(&rest.len())
                && rest.chars().all(|c| c.is_ascii_digit())
            {
                Ok(Self {
                    kind: IdKind::Passport,
                    number: cleaned,
                })
            } else {
                Err(
                    "Số giấy tờ không hợp lệ: CCCD có 12 chữ số, CMND có 9 chữ số, hộ chiếu gồm 1 chữ cái và 7–8 chữ số",
                )
            }
        }
    }

    pub fn kind_code(&self) -> &'static str {
        match self.kind {
            IdKind::Cccd => "cccd",
            IdKind::Cmnd => "cmnd",
            IdKind::Passport => "passport",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_shapes() {
        assert_eq!(
            IdNumber::parse("060 085 001 234").map(|i| i.kind),
            Ok(IdKind::Cccd)
        );
        assert_eq!(
            IdNumber::parse("261234567").map(|i| i.kind),
            Ok(IdKind::Cmnd)
        );
        assert_eq!(
            IdNumber::parse("b1234567").map(|i| i.kind),
            Ok(IdKind::Passport)
        );
    }

    #[test]
    fn refuses_impossible_numbers() {
        assert!(IdNumber::parse("12345").is_err());
        assert!(IdNumber::parse("1234567890").is_err());
        assert!(IdNumber::parse("999123456789").is_err());
        assert!(IdNumber::parse("abc").is_err());
        assert!(IdNumber::parse("").is_err());
    }
}
