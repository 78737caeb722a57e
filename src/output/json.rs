//! Compact JSON, byte for byte what `serde_json::to_string` writes, with a string escape that
//! looks at eight bytes at a time.
//!
//! Why not `serde_json::to_string`: its escape loop takes one byte per turn with a table
//! look-up and a split, about ten instructions per byte, and a prescription's document is
//! some 2 KB of keys and (mostly Japanese) values that need no escape at all; that loop was
//! a sixth of the whole text reader's time (BENCHMARKS.md). serde_json cannot take another
//! escape from outside (its `Formatter` is only told about the runs between escapes), so this
//! is the whole compact serializer: the same output rules, kept few and small, and tested
//! against serde_json itself (`tests/json_identity.rs`, the unit tests below). Pretty output
//! stays with serde_json.
//!
//! ```
//! let doc = serde_json::json!({"name": "山田\t太郎", "n": [1, -2, 3.5], "x": null});
//! let ours = shohosen::output::json::to_string(&doc).unwrap();
//! assert_eq!(ours, serde_json::to_string(&doc).unwrap());
//! ```

use serde::ser::{self, Serialize};
use std::fmt::Display;

/// Why a value could not be written as JSON (the same cases serde_json refuses).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A map key that is not a string, a number, a bool or a char.
    #[error("key must be a string")]
    KeyMustBeString,
    /// A float map key that is NaN or infinite.
    #[error("float key must be finite (got NaN or +/-inf)")]
    FloatKeyMustBeFinite,
    /// An error raised by a `Serialize` implementation.
    #[error("{0}")]
    Custom(String),
}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error::Custom(msg.to_string())
    }
}

/// Serializes `value` as compact JSON.
///
/// ```
/// let s = shohosen::output::json::to_string(&vec!["a\"b", "c"]).unwrap();
/// assert_eq!(s, r#"["a\"b","c"]"#);
/// ```
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    // A prescription's document is 2–4 KB: one allocation in the usual case.
    let mut out = Vec::with_capacity(4096);
    write(&mut out, value)?;
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: `out` holds only whole `&str`s (escaped strings are copied between ASCII
    // escapes, which never split a UTF-8 sequence since every byte of one is >= 0x80) and
    // ASCII punctuation, digits and escapes. Checking again cost a fifth of the writing
    // (serde_json skips the check for the same reason).
    Ok(unsafe { String::from_utf8_unchecked(out) })
}

/// Appends `value` as compact JSON to `out`.
///
/// ```
/// let mut out = b"x=".to_vec();
/// shohosen::output::json::write(&mut out, &Some(1u8)).unwrap();
/// assert_eq!(out, b"x=1");
/// ```
pub fn write<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out })
}

/// The serializer: everything goes straight into one byte buffer.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    fn int(&mut self, v: impl itoa::Integer) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// An unsigned integer. Below 100 (item indexes, Rp and line numbers, days and counts:
    /// most numbers of a document) its digits are pushed directly: a copy out of itoa's
    /// buffer has a length known only at run time, which is a call to `memcpy`.
    #[inline]
    fn uint(&mut self, v: u64) {
        match v {
            // `v` is below 100 in both arms, so each digit fits a byte.
            0..=9 => self.out.push(b'0' + v as u8),
            10..=99 => self
                .out
                .extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]),
            _ => self.int(v),
        }
    }

    fn quoted_int(&mut self, v: impl itoa::Integer) {
        self.out.push(b'"');
        self.int(v);
        self.out.push(b'"');
    }

    fn float(&mut self, v: impl zmij::Float) {
        self.out
            .extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
    }

    /// `{"variant":` — the opening of every non-unit enum variant.
    fn variant_key(&mut self, variant: &str) {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
    }
}

/// The escape of each byte below 0x80: 0 for none, `u` for `\u00XX`, else the letter after `\`.
static ESCAPE: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is below 0x20, `"` or `\`. Bits above the lowest one
/// may be false (a borrow carries upward), so only the lowest is to be trusted.
#[inline]
fn escape_bits(w: u64) -> u64 {
    let control = w.wrapping_sub(LO * 0x20) & !w;
    let q = w ^ (LO * b'"' as u64);
    let quote = q.wrapping_sub(LO) & !q;
    let s = w ^ (LO * b'\\' as u64);
    let slash = s.wrapping_sub(LO) & !s;
    (control | quote | slash) & HI
}

/// An eight-byte word of `bytes` from `at` (the caller knows `at + 8 <= bytes.len()`).
#[inline]
fn word(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

/// Whether any byte of `bytes` needs an escape. Most strings of a document are short keys
/// and codes, so the bytes are read as words that may overlap (every byte is looked at, some
/// twice) rather than one at a time: no loop at all below 16 bytes.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let n = bytes.len();
    let bits = match n {
        0 => 0,
        1..4 => {
            let (a, b, c) = (bytes[0], bytes[n / 2], bytes[n - 1]);
            escape_bits(u64::from_le_bytes([a, b, c, a, a, a, a, a]))
        }
        4..8 => {
            let half = |at: usize| {
                let mut w = [0u8; 4];
                w.copy_from_slice(&bytes[at..at + 4]);
                u64::from(u32::from_le_bytes(w))
            };
            escape_bits(half(0) | half(n - 4) << 32)
        }
        _ => {
            let mut any = escape_bits(word(bytes, n - 8));
            let mut at = 0;
            while at + 8 < n && any == 0 {
                any = escape_bits(word(bytes, at));
                at += 8;
            }
            any
        }
    };
    bits != 0
}

/// Writes `s` as a JSON string with serde_json's escapes: `\"`, `\\`, `\b \t \n \f \r`, and
/// `\u00xx` (lower-case hex) for the other control characters; nothing else is escaped.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if (4..=16).contains(&bytes.len()) {
        return write_short_str(out, bytes);
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if needs_escape(bytes) {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// [`write_str`] for 4 to 16 bytes, most keys and codes: the two words that are read for the
/// escape test are also what is copied, into a fixed-size buffer that is appended whole and
/// then cut to length (a fixed-size copy is a few moves; a copy of a length known only at run
/// time is a call to `memcpy`, which cost a fifth of the writing).
#[inline(always)]
fn write_short_str(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    let mut buf = [b'"'; 18];
    let bits = if n >= 8 {
        let (first, last) = (word(bytes, 0), word(bytes, n - 8));
        buf[1..9].copy_from_slice(&first.to_le_bytes());
        buf[n - 7..n + 1].copy_from_slice(&last.to_le_bytes());
        escape_bits(first) | escape_bits(last)
    } else {
        let half = |at: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&bytes[at..at + 4]);
            w
        };
        let (first, last) = (half(0), half(n - 4));
        buf[1..5].copy_from_slice(&first);
        buf[n - 3..n + 1].copy_from_slice(&last);
        escape_bits(
            u64::from(u32::from_le_bytes(first)) | u64::from(u32::from_le_bytes(last)) << 32,
        )
    };
    if bits != 0 {
        out.push(b'"');
        write_escaped(out, bytes);
        out.push(b'"');
        return;
    }
    buf[n + 1] = b'"';
    let end = out.len() + n + 2;
    out.extend_from_slice(&buf);
    out.truncate(end);
}

/// The rare string with something to escape, a byte at a time.
#[cold]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let escape = match ESCAPE.get(b as usize) {
            Some(&e) if e != 0 => e,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..at]);
        if escape == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// A JSON array or object being written; `close` is what `end` writes (`]` or `}`), followed
/// by another `}` for the arrays and objects inside an enum variant.
struct Compound<'s, 'a> {
    ser: &'s mut Writer<'a>,
    first: bool,
    close: u8,
    in_variant: bool,
}

impl Compound<'_, '_> {
    #[inline(always)]
    fn comma(&mut self) {
        if !self.first {
            self.ser.out.push(b',');
        }
        self.first = false;
    }

    /// A struct field. Forced inline so that, in each derived `Serialize`, the key is a
    /// constant: its length, the test for escapes and the copy then fold away at compile time.
    #[inline(always)]
    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.comma();
        if (4..=16).contains(&key.len()) {
            write_short_str(self.ser.out, key.as_bytes());
        } else {
            write_str(self.ser.out, key);
        }
        self.ser.out.push(b':');
        value.serialize(&mut *self.ser)
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.ser)
    }

    fn close(self) -> Result<(), Error> {
        self.ser.out.push(self.close);
        if self.in_variant {
            self.ser.out.push(b'}');
        }
        Ok(())
    }
}

impl<'s, 'a> ser::Serializer for &'s mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'s, 'a>;
    type SerializeTuple = Compound<'s, 'a>;
    type SerializeTupleStruct = Compound<'s, 'a>;
    type SerializeTupleVariant = Compound<'s, 'a>;
    type SerializeMap = Compound<'s, 'a>;
    type SerializeStruct = Compound<'s, 'a>;
    type SerializeStructVariant = Compound<'s, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        // Two fixed-size copies, not one of a length chosen at run time (a `memcpy` call).
        if v {
            self.out.extend_from_slice(b"true");
        } else {
            self.out.extend_from_slice(b"false");
        }
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.uint(u64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.uint(u64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.uint(u64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.uint(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // As serde_json: a float that JSON cannot hold is written as null.
        if v.is_finite() {
            self.float(v);
        } else {
            self.out.extend_from_slice(b"null");
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if v.is_finite() {
            self.float(v);
        } else {
            self.out.extend_from_slice(b"null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant_key(variant);
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'s, 'a>, Error> {
        self.out.push(b'[');
        Ok(Compound {
            ser: self,
            first: true,
            close: b']',
            in_variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'s, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'s, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'s, 'a>, Error> {
        self.variant_key(variant);
        self.out.push(b'[');
        Ok(Compound {
            ser: self,
            first: true,
            close: b']',
            in_variant: true,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'s, 'a>, Error> {
        self.out.push(b'{');
        Ok(Compound {
            ser: self,
            first: true,
            close: b'}',
            in_variant: false,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'s, 'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'s, 'a>, Error> {
        self.variant_key(variant);
        self.out.push(b'{');
        Ok(Compound {
            ser: self,
            first: true,
            close: b'}',
            in_variant: true,
        })
    }
    fn collect_str<T: ?Sized + Display>(self, value: &T) -> Result<(), Error> {
        self.serialize_str(&value.to_string())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(KeyWriter {
            out: &mut *self.ser.out,
        })?;
        self.ser.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline(always)]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// A map key: strings as they are; numbers, bools and chars quoted, as serde_json does;
/// anything else refused.
struct KeyWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl KeyWriter<'_> {
    fn int(self, v: impl itoa::Integer) -> Result<(), Error> {
        Writer { out: self.out }.quoted_int(v);
        Ok(())
    }
    fn float(self, v: impl zmij::Float, finite: bool) -> Result<(), Error> {
        if !finite {
            return Err(Error::FloatKeyMustBeFinite);
        }
        self.out.push(b'"');
        Writer {
            out: &mut *self.out,
        }
        .float(v);
        self.out.push(b'"');
        Ok(())
    }
}

type Refused = ser::Impossible<(), Error>;

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Refused;
    type SerializeTuple = Refused;
    type SerializeTupleStruct = Refused;
    type SerializeTupleVariant = Refused;
    type SerializeMap = Refused;
    type SerializeStruct = Refused;
    type SerializeStructVariant = Refused;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn collect_str<T: ?Sized + Display>(self, value: &T) -> Result<(), Error> {
        self.serialize_str(&value.to_string())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_tuple(self, _: usize) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Refused, Error> {
        Err(Error::KeyMustBeString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: Serialize>(v: &T) {
        assert_eq!(
            to_string(v).ok(),
            serde_json::to_string(v).ok(),
            "differs from serde_json"
        );
    }

    #[test]
    fn every_escape_and_its_neighbours() {
        for b in 0u8..0x80 {
            let s = format!("a{}b", b as char);
            same(&s);
            // The same byte at every offset of an eight-byte word and in the tail.
            // The byte at every place of every length up to three words: the short strings
            // are read as overlapping words, the long ones word by word and then a last word.
            for len in 1..25 {
                for at in 0..len {
                    let t = format!(
                        "{}{}{}",
                        "x".repeat(at),
                        b as char,
                        "y".repeat(len - at - 1)
                    );
                    same(&t);
                    same(&format!("漢{t}字"));
                }
            }
        }
        assert_eq!(
            to_string("\u{1f}\"\\\n").ok().as_deref(),
            Some(r#""\u001f\"\\\n""#)
        );
        assert_eq!(to_string("\u{7f}/").ok().as_deref(), Some("\"\u{7f}/\""));
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<bool>, b: Vec<()> },
    }

    #[derive(Serialize)]
    struct Wrap(f64);

    #[derive(Serialize)]
    struct All {
        shapes: Vec<Shape>,
        floats: Vec<f64>,
        f32s: (f32, f32),
        ints: (i8, i16, i64, u64, i128, u128),
        wrap: Wrap,
        bytes: serde_bytes_like::Bytes,
        ch: char,
        empty: BTreeMap<String, u8>,
        int_keys: BTreeMap<i64, &'static str>,
        bool_keys: BTreeMap<bool, u8>,
        char_keys: BTreeMap<char, u8>,
        unit: (),
    }

    /// A byte string (serialized with `serialize_bytes`) without pulling in a crate for it.
    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    #[test]
    fn every_shape_serde_has() {
        same(&All {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "t\u{8}".into()),
                Shape::Struct {
                    a: None,
                    b: vec![(), ()],
                },
                Shape::Struct {
                    a: Some(true),
                    b: vec![],
                },
            ],
            floats: vec![0.0, -0.0, 1.5, 1e300, 3.0e-8, f64::NAN, f64::INFINITY],
            f32s: (0.1, f32::NEG_INFINITY),
            ints: (i8::MIN, -1, i64::MIN, u64::MAX, i128::MIN, u128::MAX),
            wrap: Wrap(2.0),
            bytes: serde_bytes_like::Bytes(vec![0, 255, 34]),
            ch: '"',
            empty: BTreeMap::new(),
            int_keys: [(-5, "x"), (9, "y")].into_iter().collect(),
            bool_keys: [(true, 1), (false, 0)].into_iter().collect(),
            char_keys: [('\n', 1), ('鍵', 0)].into_iter().collect(),
            unit: (),
        });
    }

    #[test]
    fn refuses_the_keys_serde_json_refuses() {
        let m: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        assert_eq!(to_string(&m), Err(Error::KeyMustBeString));
        assert!(serde_json::to_string(&m).is_err());
        let m: Vec<(f64, u8)> = vec![(f64::NAN, 1)];
        let as_map = MapOf(m);
        assert_eq!(to_string(&as_map), Err(Error::FloatKeyMustBeFinite));
        assert!(serde_json::to_string(&as_map).is_err());
        let ok = MapOf(vec![(1.25, 1)]);
        same(&ok);
    }

    /// Pairs serialized as a map (floats cannot be `Ord` keys).
    struct MapOf(Vec<(f64, u8)>);
    impl Serialize for MapOf {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    fn any_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".*".prop_map(Value::String),
            "[\\x00-\\x7f]{0,20}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((".*", inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn unsigned_integers_around_the_short_path() {
        for v in (0u64..=1_000).chain([9_999, 10_000, u64::from(u32::MAX), u64::MAX]) {
            same(&v);
            if let Ok(w) = u32::try_from(v) {
                same(&w);
            }
            if let Ok(w) = u16::try_from(v) {
                same(&w);
            }
            if let Ok(w) = u8::try_from(v) {
                same(&w);
            }
        }
    }

    proptest! {
        #[test]
        fn any_value_as_serde_json_writes_it(v in any_value()) {
            prop_assert_eq!(to_string(&v).ok(), serde_json::to_string(&v).ok());
        }

        #[test]
        fn any_string_as_serde_json_writes_it(s in "(.|[\\x00-\\x1f\"\\\\]){0,40}") {
            prop_assert_eq!(to_string(&s).ok(), serde_json::to_string(&s).ok());
        }
    }
}
