/* SM4 (GB/T 32907-2016) block cipher and CBC mode: portable, constant-time C. */
#ifndef ONEPAY_SM4_H
#define ONEPAY_SM4_H
#include <stddef.h>
#include <stdint.h>

#define SM4_BLOCK_SIZE 16
#define SM4_KEY_SIZE 16

typedef struct {
    uint32_t rk[32];
} sm4_key;

void sm4_set_key(sm4_key *key, const uint8_t raw[SM4_KEY_SIZE]);
void sm4_encrypt_block(const sm4_key *key, const uint8_t in[16], uint8_t out[16]);
void sm4_decrypt_block(const sm4_key *key, const uint8_t in[16], uint8_t out[16]);
/* len: a multiple of 16. in and out may be the same buffer. */
void sm4_cbc_encrypt(const sm4_key *key, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);
void sm4_cbc_decrypt(const sm4_key *key, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len);

#endif
