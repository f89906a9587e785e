/* A small, strict JSON reader (RFC 8259) over UTF-8 text: it validates, finds object members and
 * decodes strings, without building a tree. Recursion is bounded by JSON_MAX_DEPTH. */
#ifndef ONEPAY_JSON_H
#define ONEPAY_JSON_H
#include <stddef.h>

#include "text.h"

#define JSON_MAX_DEPTH 64

typedef struct {
    const char *p;
    size_t n;
} span;

typedef enum { JSON_INVALID, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL } json_type;

/* The one value `text` holds (whitespace around it allowed), or JSON_INVALID. */
json_type json_parse(const char *text, size_t len, span *value);
/* The type of a value span returned by json_parse or json_member. */
json_type json_type_of(span value);
/* The member `key` of an object span: the last one when repeated, as JSON.parse keeps. 0 if absent. */
int json_member(span object, const char *key, span *value);
/* A string value decoded to UTF-8 (appended to out). 0 if not a string or it holds a lone surrogate. */
int json_string_value(span value, strbuf *out);
/* The value with the whitespace between tokens removed; strings are copied byte for byte. */
void json_minify(span value, strbuf *out);

#endif
