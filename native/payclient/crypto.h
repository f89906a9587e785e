/* The primitives the envelope needs. SM3/SM4 are ours (sm3.c, sm4.c); AES-256-GCM, HMAC-SHA256
 * and the random source come from the system (crypto_cng.c: Windows CNG). */
#ifndef ONEPAY_CRYPTO_H
#define ONEPAY_CRYPTO_H
#include <stddef.h>
#include <stdint.h>

typedef enum { SUITE_SM = 0, SUITE_AES = 1 } suite_id;

typedef struct {
    const void *p;
    size_t n;
} chunk;

/* HMAC with the suite's hash (SM3 or SHA-256) over the concatenated parts; 32 bytes out. 1 on success. */
int suite_hmac(suite_id suite, const uint8_t *key, size_t key_len, const chunk *parts, size_t count,
               uint8_t out[32]);

/* System backend. Each returns 1 on success, 0 on failure (aes_gcm_open: also on a tag mismatch). */
int system_hmac_sha256(const uint8_t *key, size_t key_len, const chunk *parts, size_t count, uint8_t out[32]);
int aes_gcm_seal(const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]);
int aes_gcm_open(const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, size_t len, const uint8_t tag[16], uint8_t *out);
int random_bytes(uint8_t *out, size_t len);

#endif
