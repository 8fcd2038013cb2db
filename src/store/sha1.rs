//! SHA-1 as a `const fn`: each script's hash (the name `EVALSHA` calls it by) is computed
//! when pipectl is compiled, not hashed again at every start (`scripts::Script`).

/// The lowercase hex SHA-1 of `data`, as Redis names a script.
pub const fn hex(data: &[u8]) -> [u8; 40] {
    let digest = sha1(data);
    let mut out = [0u8; 40];
    let mut i = 0;
    while i < 20 {
        out[2 * i] = HEX[(digest[i] >> 4) as usize];
        out[2 * i + 1] = HEX[(digest[i] & 15) as usize];
        i += 1;
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

const fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    let len = data.len();
    // The message, a 1 bit, zeros, and its length in bits: a multiple of 64 bytes.
    let blocks = (len + 8) / 64 + 1;
    let mut block = 0;
    while block < blocks {
        let mut w = [0u32; 80];
        let mut t = 0;
        while t < 16 {
            let mut word = 0u32;
            let mut b = 0;
            while b < 4 {
                let at = block * 64 + t * 4 + b;
                let byte = if at < len {
                    data[at]
                } else if at == len {
                    0x80
                } else if at >= blocks * 64 - 8 {
                    let shift = (blocks * 64 - 1 - at) * 8;
                    ((len as u64 * 8) >> shift) as u8
                } else {
                    0
                };
                word = (word << 8) | byte as u32;
                b += 1;
            }
            w[t] = word;
            t += 1;
        }
        while t < 80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
            t += 1;
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        t = 0;
        while t < 80 {
            let (f, k) = match t / 20 {
                0 => ((b & c) | (!b & d), 0x5a82_7999),
                1 => (b ^ c ^ d, 0x6ed9_eba1),
                2 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(w[t]);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
            t += 1;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
        block += 1;
    }
    let mut out = [0u8; 20];
    let mut i = 0;
    while i < 5 {
        let bytes = h[i].to_be_bytes();
        out[4 * i] = bytes[0];
        out[4 * i + 1] = bytes[1];
        out[4 * i + 2] = bytes[2];
        out[4 * i + 3] = bytes[3];
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_digests() {
        let hex = |s: &str| String::from_utf8(super::hex(s.as_bytes()).to_vec()).unwrap();
        assert_eq!(hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        // 55, 56 and 64 bytes: the padding's edges.
        for n in [55, 56, 63, 64, 65, 119, 1000] {
            let s = "a".repeat(n);
            assert_eq!(hex(&s), redis::Script::new(&s).get_hash(), "{n} bytes");
        }
    }
}
