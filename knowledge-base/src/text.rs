//! Text helpers shared by the index, the crisis stage and the plain-language check.
//!
//! Everything that compares words goes through `fold`, so "Cliënt", "client" and
//! "CLIENT" are one word everywhere.


/// Lowercase and strip diacritics, so residents who type without accents still
/// match. Arabic is normalised the way residents vary it (harakat, tatweel,
/// alef and hamza forms, taa marbuta, alef maqsura, Arabic-Indic digits), and
/// Cyrillic is folded so Ukrainian and Russian spellings of a word come close
/// (і ї ы -> и, є э ё -> е, ґ -> г, soft and hard signs dropped).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Bidi controls and zero-width marks: never part of a word.
        if matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}') {
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => out.push('a'),
                'ç' | 'č' | 'ć' => out.push('c'),
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => out.push('e'),
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => out.push('i'),
                'ñ' | 'ń' | 'ň' => out.push('n'),
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => out.push('u'),
                'ý' | 'ÿ' => out.push('y'),
                'ś' | 'š' | 'ş' => out.push('s'),
                'ź' | 'ż' | 'ž' => out.push('z'),
                'ğ' => out.push('g'),
                'ł' => out.push('l'),
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ĳ' => out.push_str("ij"),
                '’' | '‘' | '`' | 'ʼ' => out.push('\''),
                // Combining marks left by decomposed input (Turkish dotted I, etc.).
                '\u{0300}'..='\u{036F}' => {}
                // Arabic: harakat, superscript alef, Quranic marks and tatweel go.
                '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' => {}
                'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
                'ة' => out.push('ه'),
                'ى' | 'ئ' | 'ی' => out.push('ي'),
                'ؤ' => out.push('و'),
                'ک' => out.push('ك'),
                '٠'..='٩' => out.push(char::from(b'0' + (l as u32 - '٠' as u32) as u8)),
                '۰'..='۹' => out.push(char::from(b'0' + (l as u32 - '۰' as u32) as u8)),
                // Cyrillic: Ukrainian and Russian letters that stand for nearly the same sound.
                'і' | 'ї' | 'ы' | 'й' => out.push('и'),
                'є' | 'э' | 'ё' => out.push('е'),
                'ґ' => out.push('г'),
                'ь' | 'ъ' => {}
                other => out.push(other),
            }
        }
    }
    out
}

/// Folded words: runs of letters and digits. Apostrophes inside a word are dropped
/// ("z'n" becomes "zn"), as residents type them both ways.
pub fn words(s: &str) -> Vec<String> {
    let folded = fold(s);
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if c == '\'' && !cur.is_empty() {
            continue;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that carry little meaning on their own, in Dutch and English together
/// (questions mix them). Negations are kept out of this list on purpose: "geen
/// geld" and "niet meer" matter.
pub const STOP_WORDS: &[&str] = &[
    // Dutch
    "de", "het", "een", "en", "van", "ik", "te", "dat", "die", "in", "hij", "zij", "ze", "is",
    "was", "op", "aan", "met", "als", "voor", "er", "maar", "om", "hem", "dan", "zou", "of",
    "wat", "mijn", "mn", "m'n", "dit", "zo", "door", "over", "zich", "bij", "ook", "tot", "je",
    "jij", "mij", "me", "der", "daar", "haar", "naar", "hoe", "deze", "u", "want", "nog", "zal",
    "nu", "al", "waren", "toen", "zijn", "hun", "dus", "hier", "wie", "werd", "wordt", "word",
    "ons", "onze", "na", "uw", "jullie", "jou", "jouw", "we", "wij", "t", "n", "ben", "bent",
    "heb", "hebt", "heeft", "hebben", "had", "kan", "kun", "kunt", "kunnen", "moet", "moeten",
    "wil", "wilt", "willen", "mag", "mogen", "ga", "gaat", "gaan", "doe", "doet", "doen", "waar",
    "welke", "wel", "eens", "ff", "even", "erg", "heel", "echt", "toch", "nou", "dan", "daarom",
    "omdat", "waarom", "wanneer", "zn", "z'n", "d'r", "em", "ie", "dr", "graag", "ja", "hallo",
    "hoi", "beste", "goedendag", "dag",
    // English
    "the", "a", "an", "and", "or", "of", "to", "i", "im", "i'm", "my", "me", "is", "are", "am",
    "was", "were", "be", "been", "it", "its", "this", "that", "in", "on", "at", "for", "with",
    "as", "by", "from", "so", "do", "does", "did", "have", "has", "had", "you", "your", "we",
    "our", "they", "their", "he", "she", "his", "her", "him", "them", "can", "could", "would",
    "should", "will", "shall", "there", "what", "who", "where", "which", "how", "when", "if",
    "but", "just", "really", "very", "please", "hi", "hello", "dear", "about", "into", "get",
    "got", "some", "any", "want", "need", "there", "s", "m", "re", "ve", "ll", "d",
    // Turkish (negations such as "yok" and "değil" stay: "param yok" matters)
    "ve", "bir", "bu", "şu", "o", "ben", "sen", "biz", "siz", "onlar", "ne", "mi", "mı", "mu",
    "mü", "için", "icin", "ile", "de", "da", "ki", "çok", "cok", "daha", "gibi", "ama", "veya",
    "ya", "bana", "beni", "benim", "sana", "seni", "senin", "bizim", "onun", "şey", "sey",
    "nasıl", "nasil", "nerede", "neden", "niye", "kim", "hangi", "merhaba", "selam", "lütfen",
    "lutfen", "acaba", "artık", "artik", "hep", "her", "en", "bile", "diye", "olarak",
    // Polish (negation "nie" stays)
    "i", "w", "we", "z", "ze", "na", "do", "się", "sie", "jest", "to", "że", "ze", "a", "o",
    "jak", "ale", "co", "mi", "mnie", "mój", "moj", "moja", "moje", "po", "od", "za", "dla",
    "czy", "jestem", "jestesmy", "jesteśmy", "mam", "ja", "ty", "on", "ona", "oni", "tak",
    "tym", "tego", "ten", "ta", "te", "gdzie", "kto", "jaki", "jaka", "bo", "już", "juz",
    "tylko", "bardzo", "dzień", "dzien", "dobry", "proszę", "prosze", "cześć", "czesc",
    // Ukrainian and Russian (negations "не" and "ні" stay)
    "і", "й", "в", "у", "на", "з", "із", "зі", "що", "я", "мені", "мене", "мой", "мій", "моя",
    "моє", "мої", "це", "як", "та", "але", "до", "по", "за", "від", "для", "чи", "ти", "ви",
    "він", "вона", "вони", "ми", "так", "вже", "уже", "дуже", "тут", "там", "де", "хто",
    "який", "яка", "бо", "а", "о", "и", "что", "это", "меня", "мне", "мы", "он", "она",
    "они", "как", "но", "или", "для", "от", "из", "же", "бы", "ли", "уже", "очень", "есть",
    "є", "будь", "ласка", "пожалуйста", "привіт", "привет", "здравствуйте", "добрий", "день",
    // Arabic (negations "لا", "ما", "مش", "ليس" stay)
    "في", "من", "على", "الى", "إلى", "عن", "ان", "أن", "إن", "هذا", "هذه", "انا", "أنا",
    "هو", "هي", "نحن", "انت", "أنت", "كان", "مع", "او", "أو", "ثم", "لي", "اللي", "الذي",
    "التي", "يا", "و", "ف", "ب", "ل", "كيف", "وين", "أين", "اين", "شو", "ايش", "هل",
    "مرحبا", "السلام", "عليكم", "من فضلك", "لو", "سمحت", "عند", "عندي", "كل", "بس",
    // Arabic in Latin letters
    "ana", "enta", "inta", "howa", "hiya", "fi", "fe", "men", "min", "3ala", "ala", "w",
    "wa", "ya", "el", "al", "li", "lel", "salam", "marhaba", "law", "sama7t",
];

fn stop_words() -> &'static std::collections::HashSet<String> {
    static SET: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().map(|w| fold(w)).collect())
}

pub fn is_stop_word(w: &str) -> bool {
    stop_words().contains(w)
}

/// Split prose into sentences at `.`, `!` and `?` (and line ends), for the
/// plain-language check. A dot inside a number or an abbreviation such as
/// "bijv." followed by a lowercase word does not end a sentence.
pub fn sentences(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            push_sentence(&mut out, &mut cur);
            continue;
        }
        cur.push(c);
        if matches!(c, '.' | '!' | '?' | '؟') {
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            let ends = match next {
                None => true,
                Some(n) if n.is_whitespace() => !after.is_some_and(|a| a.is_lowercase()),
                Some(_) => false,
            };
            if ends {
                push_sentence(&mut out, &mut cur);
            }
        }
    }
    push_sentence(&mut out, &mut cur);
    out
}

fn push_sentence(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}

/// Words in a sentence, as a reader counts them: "14 0123" is two words,
/// "ID-kaart" is one.
pub fn word_count(sentence: &str) -> usize {
    sentence.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Damerau-Levenshtein distance with adjacent transpositions (optimal string
/// alignment), capped: returns `max + 1` as soon as the distance must exceed `max`.
/// Runs on the hot path of crisis detection: ASCII words (nearly all, after
/// folding) are compared as bytes without allocating.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        if a.len().abs_diff(b.len()) > max {
            return max + 1;
        }
        return osa(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    osa(&a, &b, max)
}

fn osa<T: PartialEq>(a: &[T], b: &[T], max: usize) -> usize {
    // Rows of u16 on the stack for ordinary words; capped distances fit easily.
    const STACK: usize = 40;
    let m = b.len();
    if m + 1 > STACK || a.len() > u16::MAX as usize {
        return osa_rows(a, b, max, &mut vec![0; m + 1], &mut vec![0; m + 1], &mut vec![0; m + 1]);
    }
    let (mut r0, mut r1, mut r2) = ([0u16; STACK], [0u16; STACK], [0u16; STACK]);
    osa_rows(a, b, max, &mut r0[..=m], &mut r1[..=m], &mut r2[..=m])
}

fn osa_rows<T: PartialEq>(a: &[T], b: &[T], max: usize, prev2: &mut [u16], prev: &mut [u16], cur: &mut [u16]) -> usize {
    let (n, m) = (a.len(), b.len());
    let max16 = max.min(u16::MAX as usize - 1) as u16;
    for (j, v) in prev.iter_mut().enumerate() {
        *v = j.min(u16::MAX as usize) as u16;
    }
    let (mut prev2, mut prev, mut cur) = (prev2, prev, cur);
    for i in 1..=n {
        cur[0] = i.min(u16::MAX as usize) as u16;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = u16::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max16 {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    usize::from(prev[m])
}

/// How many typos a word of this length may carry and still match.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(fold("Cliënt Ondersteuning É"), "client ondersteuning e");
        assert_eq!(words("z'n moeder's DigiD-code!"), vec!["zn", "moeders", "digid", "code"]);
    }

    #[test]
    fn splits_sentences_but_not_numbers() {
        let s = sentences("Bel 088 555 01 10. Dat kost 1.50 euro! Klaar?");
        assert_eq!(s, vec!["Bel 088 555 01 10.", "Dat kost 1.50 euro!", "Klaar?"]);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance_within("zelfmoord", "zelfmorod", 2), 1);
        assert_eq!(edit_distance_within("schulden", "schuldn", 2), 1);
        assert_eq!(edit_distance_within("abc", "xyz", 1), 2);
    }
}
