//! Random secrets and their hashes. A secret leaves this server once (in an answer or a link)
//! and is kept only as its SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A password or token from the operator's settings: the SDK's redacting wrapper, printed and
/// logged only as `<redacted>`.
pub use beckon::Secret;

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored in place of a secret.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// `len` random letters and digits.
pub fn random_alphanumeric(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| CHARS[OsRng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Three distinct two-digit numbers, in ascending order.
pub fn three_link_numbers() -> [u8; 3] {
    let mut numbers = [0u8; 3];
    let mut filled = 0;
    while filled < 3 {
        let n = OsRng.gen_range(10..=99u8);
        if !numbers[..filled].contains(&n) {
            numbers[filled] = n;
            filled += 1;
        }
    }
    numbers.sort_unstable();
    numbers
}

/// An index in `0..n`, uniformly.
pub fn pick(n: usize) -> usize {
    OsRng.gen_range(0..n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_numbers_are_distinct_two_digit() {
        for _ in 0..1000 {
            let [a, b, c] = three_link_numbers();
            assert!((10..=99).contains(&a) && a < b && b < c && c <= 99);
        }
    }

    #[test]
    fn tokens_carry_256_bits_and_hash_stably() {
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, random_token());
        assert_eq!(hash(&t), hash(&t));
        assert_eq!(hash(&t).len(), 32);
    }
}
