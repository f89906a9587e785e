/*
 * The C envelope from the command line, for the test vectors (test/dll/envelope-vectors.test.ts):
 *   envelope_cli keys <SM|AES> <secret>
 *   envelope_cli seal <SM|AES> <secret> <req|resp> <appid> <ts> <nonce> <reqNonce|-> <ivHex> <plaintextHex>
 *   envelope_cli open <SM|AES> <secret> <req|resp> <appid> <reqNonce|-> <now> <body-file>
 *   envelope_cli answer <SM|AES> <secret> <appid> <reqNonce> <now> <body-file>
 * One line of JSON out. Text arguments that are not ASCII travel as hex, so no console code page
 * stands between the test and the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"

static suite_id suite_of(const char *name) {
    return strcmp(name, "AES") == 0 ? SUITE_AES : SUITE_SM;
}

static int derive(const char *suite, const char *secret, suite_keys *keys) {
    if (!derive_keys(suite_of(suite), secret, strlen(secret), keys)) {
        printf("{\"error\":\"derive\"}\n");
        return 0;
    }
    return 1;
}

static void print_hex(const char *name, const uint8_t *bytes, size_t len, const char *after) {
    char hex[129];
    hex_encode(bytes, len, hex);
    printf("\"%s\":\"%s\"%s", name, hex, after);
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = (char *)malloc((size_t)size + 1);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data != NULL) data[size] = 0;
    *len = (size_t)size;
    return data;
}

static void print_text(const char *name, const strbuf *text) {
    char *hex = (char *)malloc(text->len * 2 + 1);
    if (hex == NULL) return;
    hex_encode((const uint8_t *)(text->data != NULL ? text->data : ""), text->len, hex);
    printf("\"%s\":\"%s\"", name, hex);
    free(hex);
}

int main(int argc, char **argv) {
    suite_keys keys;
    if (argc == 4 && strcmp(argv[1], "keys") == 0) {
        if (!derive(argv[2], argv[3], &keys)) return 1;
        printf("{");
        print_hex("encKeyHex", keys.enc, keys.enc_len, ",");
        if (keys.suite == SUITE_SM) print_hex("authKeyHex", keys.auth, 32, ",");
        print_hex("macKeyHex", keys.mac, 32, ",");
        print_hex("kcvKeyHex", keys.kcv_key, 32, ",");
        printf("\"kcv\":\"%s\"}\n", keys.kcv);
        return 0;
    }
    if (argc == 11 && strcmp(argv[1], "seal") == 0) {
        header_fields h;
        uint8_t iv[16], *plain;
        size_t plain_len = strlen(argv[10]) / 2;
        strbuf body;
        if (!derive(argv[2], argv[3], &keys)) return 1;
        plain = (uint8_t *)malloc(plain_len + 1);
        if (plain == NULL || !hex_decode(argv[10], strlen(argv[10]), plain, plain_len) ||
            !hex_decode(argv[9], strlen(argv[9]), iv, suite_iv_size(keys.suite))) {
            printf("{\"error\":\"arguments\"}\n");
            return 1;
        }
        h.direction = argv[4];
        h.appid = argv[5];
        h.ts = argv[6];
        h.nonce = argv[7];
        h.req_nonce = strcmp(argv[8], "-") == 0 ? "" : argv[8];
        sb_init(&body);
        if (!seal_envelope(&keys, &h, iv, (const char *)plain, plain_len, &body)) {
            printf("{\"error\":\"seal\"}\n");
            return 1;
        }
        printf("{");
        print_text("bodyHex", &body);
        printf("}\n");
        sb_free(&body);
        free(plain);
        return 0;
    }
    if (argc == 9 && strcmp(argv[1], "open") == 0) {
        size_t len;
        char *body = read_all(argv[8], &len);
        strbuf plain;
        open_status status;
        if (body == NULL || !derive(argv[2], argv[3], &keys)) return 1;
        sb_init(&plain);
        status = open_envelope(&keys, body, len, argv[4], argv[5], strcmp(argv[6], "-") == 0 ? "" : argv[6],
                               atoll(argv[7]), &plain);
        printf("{\"status\":%d,", (int)status);
        print_text("plaintextHex", &plain);
        printf("}\n");
        sb_free(&plain);
        free(body);
        return 0;
    }
    if (argc == 8 && strcmp(argv[1], "answer") == 0) {
        size_t len;
        char *body = read_all(argv[7], &len);
        answer_read read;
        if (body == NULL || !derive(argv[2], argv[3], &keys)) return 1;
        read_answer(&keys, argv[4], argv[5], atoll(argv[6]), body, len, &read);
        printf("{\"kind\":%d,", (int)read.kind);
        print_text("textHex", &read.text);
        printf("}\n");
        sb_free(&read.text);
        free(body);
        return 0;
    }
    fprintf(stderr, "usage: see the comment at the top of envelope_cli.c\n");
    return 2;
}
