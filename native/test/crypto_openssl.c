/* The system backend of crypto.h on Linux, for the native sanitizer builds of the tests only:
 * OpenSSL's AES-256-GCM and HMAC-SHA256 stand where Windows CNG stands in the DLL. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "crypto.h"

int system_hmac_sha256(const uint8_t *key, size_t key_len, const chunk *parts, size_t count, uint8_t out[32]) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2];
    size_t i, n = 0;
    int ok = 0;
    params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (ctx != NULL && EVP_MAC_init(ctx, key, key_len, params)) {
        ok = 1;
        for (i = 0; i < count && ok; i++) ok = EVP_MAC_update(ctx, (const unsigned char *)parts[i].p, parts[i].n);
        ok = ok && EVP_MAC_final(ctx, out, &n, 32) && n == 32;
    }
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ok;
}

static int gcm(int seal, const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
               const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, ok;
    if (ctx == NULL) return 0;
    ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv, seal) &&
         (aad_len == 0 || EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len)) &&
         (len == 0 || EVP_CipherUpdate(ctx, out, &n, in, (int)len)) &&
         (seal || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag)) && EVP_CipherFinal_ex(ctx, out + len, &n) &&
         (!seal || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag));
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int aes_gcm_seal(const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad, size_t aad_len, const uint8_t *in,
                 size_t len, uint8_t *out, uint8_t tag[16]) {
    return gcm(1, key, iv, aad, aad_len, in, len, out, tag);
}

int aes_gcm_open(const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad, size_t aad_len, const uint8_t *in,
                 size_t len, const uint8_t tag[16], uint8_t *out) {
    uint8_t copy[16];
    int i;
    for (i = 0; i < 16; i++) copy[i] = tag[i];
    return gcm(0, key, iv, aad, aad_len, in, len, out, copy);
}

int random_bytes(uint8_t *out, size_t len) {
    return RAND_bytes(out, (int)len) == 1;
}
