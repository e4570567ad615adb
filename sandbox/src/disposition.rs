//! `Content-Disposition` parameters of a multipart part.
//!
//! Parsed here rather than taken from the multipart library because the recording must be
//! byte-exact: quoted strings are unescaped (`\"` and `\\`, as Django does), UTF-8 is kept as
//! sent, and the RFC 5987 `name*=`/`filename*=` forms are decoded and win over the plain ones.

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Disposition {
    pub name: Option<String>,
    pub filename: Option<String>,
}

pub(crate) fn parse(raw: &[u8]) -> Disposition {
    let mut out = Disposition::default();
    let mut ext_name = None;
    let mut ext_filename = None;

    // Skip the disposition type (`form-data`).
    let mut rest = match raw.iter().position(|&b| b == b';') {
        Some(i) => &raw[i + 1..],
        None => return out,
    };
    while !rest.is_empty() {
        rest = trim_start(rest);
        let eq = rest.iter().position(|&b| b == b'=' || b == b';');
        let Some(eq) = eq.filter(|&i| rest[i] == b'=') else {
            // A parameter without a value: skip to the next one.
            rest = eq.map_or(&[][..], |i| &rest[i + 1..]);
            continue;
        };
        let key = String::from_utf8_lossy(trim_end(&rest[..eq])).to_ascii_lowercase();
        rest = trim_start(&rest[eq + 1..]);

        let value;
        (value, rest) = if rest.first() == Some(&b'"') {
            quoted(&rest[1..])
        } else {
            let end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
            (trim_end(&rest[..end]).to_vec(), &rest[end..])
        };
        if let Some(i) = rest.iter().position(|&b| b == b';') {
            rest = &rest[i + 1..];
        } else {
            rest = &[];
        }

        match key.as_str() {
            "name" => out.name = Some(String::from_utf8_lossy(&value).into_owned()),
            "filename" => out.filename = Some(String::from_utf8_lossy(&value).into_owned()),
            "name*" => ext_name = ext_value(&value),
            "filename*" => ext_filename = ext_value(&value),
            _ => {}
        }
    }
    if ext_name.is_some() {
        out.name = ext_name;
    }
    if ext_filename.is_some() {
        out.filename = ext_filename;
    }
    out
}

/// The content of a quoted string (after its opening quote) and what follows its closing one.
fn quoted(mut s: &[u8]) -> (Vec<u8>, &[u8]) {
    let mut value = Vec::new();
    while let Some((&b, tail)) = s.split_first() {
        s = tail;
        match b {
            b'"' => return (value, s),
            b'\\' => {
                if let Some((&next, tail)) = s.split_first() {
                    value.push(next);
                    s = tail;
                }
            }
            _ => value.push(b),
        }
    }
    (value, s)
}

/// `charset'language'percent-encoded` (RFC 5987); only UTF-8 and ASCII charsets are decoded.
fn ext_value(value: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(value).ok()?;
    let mut it = text.splitn(3, '\'');
    let charset = it.next()?.to_ascii_lowercase();
    let _language = it.next()?;
    let encoded = it.next()?;
    if charset != "utf-8" && charset != "us-ascii" {
        return None;
    }
    let bytes = percent_decode(encoded.as_bytes());
    String::from_utf8(bytes).ok()
}

pub(crate) fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            let hex = std::str::from_utf8(&s[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

fn trim_start(s: &[u8]) -> &[u8] {
    let i = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    &s[i..]
}

fn trim_end(s: &[u8]) -> &[u8] {
    let i = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &s[..i]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Disposition {
        parse(s.as_bytes())
    }

    #[test]
    fn plain_and_quoted() {
        let d = p(r#"form-data; name="files"; filename="affiche été 2027.png""#);
        assert_eq!(d.name.as_deref(), Some("files"));
        assert_eq!(d.filename.as_deref(), Some("affiche été 2027.png"));

        let d = p("form-data; name=tags");
        assert_eq!(d.name.as_deref(), Some("tags"));
        assert_eq!(d.filename, None);
    }

    #[test]
    fn escapes_and_semicolons_inside_quotes() {
        let d = p(r#"form-data; name="files"; filename="a \"b\"; c\\d.png""#);
        assert_eq!(d.filename.as_deref(), Some(r#"a "b"; c\d.png"#));
    }

    #[test]
    fn extended_forms_win() {
        let d = p(
            "form-data; name*=utf-8''assets%5B0%5Dname; filename=\"x\"; filename*=UTF-8''%C3%A9.png",
        );
        assert_eq!(d.name.as_deref(), Some("assets[0]name"));
        assert_eq!(d.filename.as_deref(), Some("é.png"));
    }

    #[test]
    fn filename_is_not_name() {
        let d = p(r#"form-data; filename="only.png""#);
        assert_eq!(d.name, None);
        assert_eq!(d.filename.as_deref(), Some("only.png"));
    }

    #[test]
    fn percent_at_the_end() {
        assert_eq!(percent_decode(b"a%4"), b"a%4");
        assert_eq!(percent_decode(b"a%41"), b"aA");
    }
}
