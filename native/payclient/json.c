#include "json.h"

#include <string.h>

typedef struct {
    const char *t;
    size_t len;
    size_t pos;
} reader;

static void skip_ws(reader *r) {
    while (r->pos < r->len) {
        char c = r->t[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        r->pos++;
    }
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static int skip_string(reader *r) {
    r->pos++; /* the opening quote */
    while (r->pos < r->len) {
        unsigned char c = (unsigned char)r->t[r->pos];
        if (c == '"') {
            r->pos++;
            return 1;
        }
        if (c < 0x20) return 0;
        if (c == '\\') {
            unsigned ignored;
            if (r->pos + 1 >= r->len) return 0;
            c = (unsigned char)r->t[r->pos + 1];
            if (c == 'u') {
                if (r->pos + 6 > r->len || !hex4(r->t + r->pos + 2, &ignored)) return 0;
                r->pos += 6;
                continue;
            }
            if (strchr("\"\\/bfnrt", c) == NULL || c == 0) return 0;
            r->pos += 2;
            continue;
        }
        r->pos++;
    }
    return 0;
}

static int digits(reader *r) {
    size_t start = r->pos;
    while (r->pos < r->len && r->t[r->pos] >= '0' && r->t[r->pos] <= '9') r->pos++;
    return r->pos > start;
}

static int skip_number(reader *r) {
    if (r->t[r->pos] == '-') r->pos++;
    if (r->pos >= r->len) return 0;
    if (r->t[r->pos] == '0') r->pos++;
    else if (!digits(r)) return 0;
    if (r->pos < r->len && r->t[r->pos] == '.') {
        r->pos++;
        if (!digits(r)) return 0;
    }
    if (r->pos < r->len && (r->t[r->pos] == 'e' || r->t[r->pos] == 'E')) {
        r->pos++;
        if (r->pos < r->len && (r->t[r->pos] == '+' || r->t[r->pos] == '-')) r->pos++;
        if (!digits(r)) return 0;
    }
    return 1;
}

static int skip_word(reader *r, const char *word) {
    size_t n = strlen(word);
    if (r->len - r->pos < n || memcmp(r->t + r->pos, word, n) != 0) return 0;
    r->pos += n;
    return 1;
}

static int skip_value(reader *r, int depth) {
    char c;
    skip_ws(r);
    if (r->pos >= r->len || depth > JSON_MAX_DEPTH) return 0;
    c = r->t[r->pos];
    if (c == '"') return skip_string(r);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        r->pos++;
        skip_ws(r);
        if (r->pos < r->len && r->t[r->pos] == close) {
            r->pos++;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                skip_ws(r);
                if (r->pos >= r->len || r->t[r->pos] != '"' || !skip_string(r)) return 0;
                skip_ws(r);
                if (r->pos >= r->len || r->t[r->pos] != ':') return 0;
                r->pos++;
            }
            if (!skip_value(r, depth + 1)) return 0;
            skip_ws(r);
            if (r->pos >= r->len) return 0;
            if (r->t[r->pos] == ',') {
                r->pos++;
                continue;
            }
            if (r->t[r->pos] != close) return 0;
            r->pos++;
            return 1;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) return skip_number(r);
    if (c == 't') return skip_word(r, "true");
    if (c == 'f') return skip_word(r, "false");
    if (c == 'n') return skip_word(r, "null");
    return 0;
}

json_type json_type_of(span v) {
    if (v.n == 0) return JSON_INVALID;
    switch (v.p[0]) {
    case '{': return JSON_OBJECT;
    case '[': return JSON_ARRAY;
    case '"': return JSON_STRING;
    case 't': return JSON_TRUE;
    case 'f': return JSON_FALSE;
    case 'n': return JSON_NULL;
    default: return JSON_NUMBER;
    }
}

json_type json_parse(const char *text, size_t len, span *value) {
    reader r;
    size_t start;
    r.t = text;
    r.len = len;
    r.pos = 0;
    skip_ws(&r);
    start = r.pos;
    if (!skip_value(&r, 0)) return JSON_INVALID;
    value->p = text + start;
    value->n = r.pos - start;
    skip_ws(&r);
    if (r.pos != len) return JSON_INVALID;
    return json_type_of(*value);
}

static void put_utf8(strbuf *out, unsigned cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) b[0] = (char)cp, n = 1;
    else if (cp < 0x800) b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[2] = (char)(0x80 | (cp & 0x3f)),
        n = 3;
    else
        b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    sb_append(out, b, n);
}

/* Decodes the string literal at v (already validated by json_parse). */
int json_string_value(span v, strbuf *out) {
    size_t i, start;
    if (json_type_of(v) != JSON_STRING || v.n < 2) return 0;
    start = 1;
    for (i = 1; i + 1 < v.n; i++) {
        unsigned cp, low;
        char c;
        if (v.p[i] != '\\') continue;
        sb_append(out, v.p + start, i - start);
        c = v.p[i + 1];
        if (c != 'u') {
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *at = strchr(from, c);
            if (at == NULL || c == 0) return 0;
            sb_append(out, to + (at - from), 1);
            i += 1;
            start = i + 1;
            continue;
        }
        if (i + 6 > v.n - 1 || !hex4(v.p + i + 2, &cp)) return 0;
        i += 5;
        if (cp >= 0xdc00 && cp <= 0xdfff) return 0; /* a low surrogate alone */
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (i + 7 > v.n - 1 || v.p[i + 1] != '\\' || v.p[i + 2] != 'u' || !hex4(v.p + i + 3, &low) ||
                low < 0xdc00 || low > 0xdfff)
                return 0;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            i += 6;
        }
        put_utf8(out, cp);
        start = i + 1;
    }
    sb_append(out, v.p + start, v.n - 1 - start);
    return !out->failed;
}

int json_member(span object, const char *key, span *value) {
    reader r;
    int found = 0;
    size_t key_len = strlen(key);
    if (json_type_of(object) != JSON_OBJECT) return 0;
    r.t = object.p;
    r.len = object.n;
    r.pos = 1;
    for (;;) {
        size_t key_start, value_start;
        span name;
        skip_ws(&r);
        if (r.pos >= r.len || r.t[r.pos] == '}') return found;
        if (r.t[r.pos] == ',') {
            r.pos++;
            skip_ws(&r);
        }
        key_start = r.pos;
        if (r.pos >= r.len || r.t[r.pos] != '"' || !skip_string(&r)) return found;
        name.p = r.t + key_start;
        name.n = r.pos - key_start;
        skip_ws(&r);
        r.pos++; /* ':' */
        skip_ws(&r);
        value_start = r.pos;
        if (!skip_value(&r, 1)) return found;
        /* Plain keys compare directly; a key with escapes is decoded first. */
        if (name.n == key_len + 2 && memcmp(name.p + 1, key, key_len) == 0) {
            value->p = r.t + value_start;
            value->n = r.pos - value_start;
            found = 1;
        } else if (memchr(name.p, '\\', name.n) != NULL) {
            strbuf decoded;
            sb_init(&decoded);
            if (json_string_value(name, &decoded) && decoded.len == key_len && memcmp(decoded.data, key, key_len) == 0) {
                value->p = r.t + value_start;
                value->n = r.pos - value_start;
                found = 1;
            }
            sb_free(&decoded);
        }
    }
}

void json_minify(span v, strbuf *out) {
    size_t i, start = 0;
    int in_string = 0;
    for (i = 0; i < v.n; i++) {
        char c = v.p[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
            continue;
        }
        if (c == '"') in_string = 1;
        else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sb_append(out, v.p + start, i - start);
            start = i + 1;
        }
    }
    sb_append(out, v.p + start, v.n - start);
}
