#include "text.h"

#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb) {
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = 0;
}

void sb_free(strbuf *sb) {
    if (sb->data != NULL) {
        memset(sb->data, 0, sb->cap); /* buffers carry plaintext and keys' products */
        free(sb->data);
    }
    sb_init(sb);
}

void sb_append(strbuf *sb, const void *data, size_t len) {
    if (sb->failed) return;
    if (sb->len + len + 1 > sb->cap) {
        size_t cap = sb->cap < 256 ? 256 : sb->cap;
        char *bigger;
        while (cap < sb->len + len + 1) {
            if (cap > ((size_t)-1) / 2) {
                sb->failed = 1;
                return;
            }
            cap *= 2;
        }
        bigger = (char *)malloc(cap);
        if (bigger == NULL) {
            sb->failed = 1;
            return;
        }
        if (sb->data != NULL) {
            memcpy(bigger, sb->data, sb->len);
            memset(sb->data, 0, sb->cap);
            free(sb->data);
        }
        sb->data = bigger;
        sb->cap = cap;
    }
    if (len > 0) memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = 0;
}

void sb_puts(strbuf *sb, const char *text) {
    sb_append(sb, text, strlen(text));
}

void sb_json_string(strbuf *sb, const char *text, size_t len) {
    static const char digits[] = "0123456789abcdef";
    size_t i, start = 0;
    sb_append(sb, "\"", 1);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *escape = NULL;
        char unicode[7];
        if (c == '"') escape = "\\\"";
        else if (c == '\\') escape = "\\\\";
        else if (c == '\b') escape = "\\b";
        else if (c == '\f') escape = "\\f";
        else if (c == '\n') escape = "\\n";
        else if (c == '\r') escape = "\\r";
        else if (c == '\t') escape = "\\t";
        else if (c < 0x20) {
            unicode[0] = '\\';
            unicode[1] = 'u';
            unicode[2] = '0';
            unicode[3] = '0';
            unicode[4] = digits[c >> 4];
            unicode[5] = digits[c & 15];
            unicode[6] = 0;
            escape = unicode;
        }
        if (escape != NULL) {
            sb_append(sb, text + start, i - start);
            sb_puts(sb, escape);
            start = i + 1;
        }
    }
    sb_append(sb, text + start, len - start);
    sb_append(sb, "\"", 1);
}

void hex_encode(const uint8_t *in, size_t len, char *out) {
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = 0;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int hex_decode(const char *in, size_t in_len, uint8_t *out, size_t len) {
    size_t i;
    if (in_len != 2 * len) return 0;
    for (i = 0; i < len; i++) {
        int hi = hex_digit(in[2 * i]), lo = hex_digit(in[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 1;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encoded_size(size_t len) {
    return (len + 2) / 3 * 4;
}

void base64_encode(const uint8_t *in, size_t len, char *out) {
    size_t i, o = 0;
    for (i = 0; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = B64[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = '=';
    }
    out[o] = 0;
}

static int b64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

long base64_decode(const char *in, size_t in_len, uint8_t *out, size_t cap) {
    size_t i, o = 0, pad = 0;
    if (in_len % 4 != 0) return -1;
    if (in_len >= 1 && in[in_len - 1] == '=') pad++;
    if (in_len >= 2 && in[in_len - 2] == '=') pad++;
    if (in_len / 4 * 3 - pad > cap) return -1;
    for (i = 0; i < in_len; i += 4) {
        int v[4], k, last = i + 4 == in_len;
        uint32_t word;
        for (k = 0; k < 4; k++) {
            v[k] = b64_value(in[i + (size_t)k]);
            /* '=' only in the last group's final one or two places */
            if (v[k] < 0 && !(last && in[i + (size_t)k] == '=' && (size_t)k >= 4 - pad)) return -1;
        }
        word = (uint32_t)(v[0] & 63) << 18 | (uint32_t)(v[1] & 63) << 12;
        if (last && pad == 2) {
            if ((v[1] & 15) != 0) return -1; /* non-zero bits before the padding: not canonical */
            out[o++] = (uint8_t)(word >> 16);
            break;
        }
        word |= (uint32_t)(v[2] & 63) << 6;
        if (last && pad == 1) {
            if ((v[2] & 3) != 0) return -1;
            out[o++] = (uint8_t)(word >> 16);
            out[o++] = (uint8_t)(word >> 8);
            break;
        }
        word |= (uint32_t)(v[3] & 63);
        out[o++] = (uint8_t)(word >> 16);
        out[o++] = (uint8_t)(word >> 8);
        out[o++] = (uint8_t)word;
    }
    return (long)o;
}

int utf8_valid(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n, k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) n = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef) n = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4) n = 3, cp = c & 0x07;
        else return 0;
        if (i + n >= len) return 0; /* truncated sequence */
        for (k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

size_t utf8_utf16_length(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i, units = 0;
    for (i = 0; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) units++;      /* a lead byte starts a code point */
        if (s[i] >= 0xf0) units++;                /* above U+FFFF: a surrogate pair */
    }
    return units;
}

int equal_ct(const void *a, const void *b, size_t len) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    unsigned char diff = 0;
    size_t i;
    for (i = 0; i < len; i++) diff |= (unsigned char)(x[i] ^ y[i]);
    return diff == 0;
}
