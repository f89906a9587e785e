/* Growable byte buffers, hex, strict base64 and UTF-8 helpers: the text handling of the envelope. */
#ifndef ONEPAY_TEXT_H
#define ONEPAY_TEXT_H
#include <stddef.h>
#include <stdint.h>

/* A NUL-terminated growing buffer. After a failed allocation `failed` is set and appends do nothing,
 * so callers check once at the end instead of after every append. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_append(strbuf *sb, const void *data, size_t len);
void sb_puts(strbuf *sb, const char *text);
/* `text` (UTF-8, `len` bytes) as a JSON string literal, escaped the way JSON.stringify escapes. */
void sb_json_string(strbuf *sb, const char *text, size_t len);

void hex_encode(const uint8_t *in, size_t len, char *out); /* out: 2*len + 1 bytes, lowercase */
/* Exactly 2*len lowercase hex digits into `out`; 0 on any other text. */
int hex_decode(const char *in, size_t in_len, uint8_t *out, size_t len);

size_t base64_encoded_size(size_t len); /* without the NUL */
void base64_encode(const uint8_t *in, size_t len, char *out);
/* Canonical base64 only (RFC 4648 §4 alphabet, padded, zero pad bits). Returns the byte count, or -1. */
long base64_decode(const char *in, size_t in_len, uint8_t *out, size_t cap);

/* 1 when the bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
int utf8_valid(const char *s, size_t len);
/* Length in UTF-16 code units of well-formed UTF-8: the spec's "characters" (Char(n)). */
size_t utf8_utf16_length(const char *s, size_t len);

/* Compares two equal-length byte strings without an early exit. */
int equal_ct(const void *a, const void *b, size_t len);

#endif
