/* SM3 (GB/T 32905-2016) and HMAC-SM3 (RFC 2104 with SM3): portable C, no tables that depend on data. */
#ifndef ONEPAY_SM3_H
#define ONEPAY_SM3_H
#include <stddef.h>
#include <stdint.h>

#define SM3_DIGEST_SIZE 32
#define SM3_BLOCK_SIZE 64

typedef struct {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[SM3_BLOCK_SIZE];
    size_t used;
} sm3_ctx;

void sm3_init(sm3_ctx *ctx);
void sm3_update(sm3_ctx *ctx, const void *data, size_t len);
void sm3_final(sm3_ctx *ctx, uint8_t out[SM3_DIGEST_SIZE]);

typedef struct {
    sm3_ctx inner;
    sm3_ctx outer;
} hmac_sm3_ctx;

void hmac_sm3_init(hmac_sm3_ctx *ctx, const uint8_t *key, size_t key_len);
void hmac_sm3_update(hmac_sm3_ctx *ctx, const void *data, size_t len);
void hmac_sm3_final(hmac_sm3_ctx *ctx, uint8_t out[SM3_DIGEST_SIZE]);

#endif
