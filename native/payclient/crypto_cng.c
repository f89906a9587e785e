/* The AES suite and the random source through Windows CNG (bcrypt.dll, in every Windows since
 * Vista): AES-256-GCM, HMAC-SHA256 and the system RNG, so no cryptography of ours for them. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <bcrypt.h>

#include "crypto.h"

#ifndef NT_SUCCESS
#define NT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#endif

int system_hmac_sha256(const uint8_t *key, size_t key_len, const chunk *parts, size_t count, uint8_t out[32]) {
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_HASH_HANDLE hash = NULL;
    size_t i;
    int ok = 0;
    if (!NT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, BCRYPT_ALG_HANDLE_HMAC_FLAG)))
        return 0;
    if (!NT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, (PUCHAR)key, (ULONG)key_len, 0))) goto done;
    for (i = 0; i < count; i++)
        if (parts[i].n > 0 && !NT_SUCCESS(BCryptHashData(hash, (PUCHAR)parts[i].p, (ULONG)parts[i].n, 0))) goto done;
    ok = NT_SUCCESS(BCryptFinishHash(hash, out, 32, 0));
done:
    if (hash != NULL) BCryptDestroyHash(hash);
    BCryptCloseAlgorithmProvider(alg, 0);
    return ok;
}

static int gcm(int seal, const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad, size_t aad_len,
               const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16]) {
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_KEY_HANDLE handle = NULL;
    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info;
    ULONG done_len = 0;
    NTSTATUS status;
    int ok = 0;
    if (!NT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_AES_ALGORITHM, NULL, 0))) return 0;
    if (!NT_SUCCESS(BCryptSetProperty(alg, BCRYPT_CHAINING_MODE, (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
                                      sizeof BCRYPT_CHAIN_MODE_GCM, 0)))
        goto done;
    if (!NT_SUCCESS(BCryptGenerateSymmetricKey(alg, &handle, NULL, 0, (PUCHAR)key, 32, 0))) goto done;
    BCRYPT_INIT_AUTH_MODE_INFO(info);
    info.pbNonce = (PUCHAR)iv;
    info.cbNonce = 12;
    info.pbAuthData = (PUCHAR)aad;
    info.cbAuthData = (ULONG)aad_len;
    info.pbTag = tag;
    info.cbTag = 16;
    /* A zero-length buffer may be NULL for CNG; ours always points somewhere valid. */
    if (seal)
        status = BCryptEncrypt(handle, (PUCHAR)in, (ULONG)len, &info, NULL, 0, out, (ULONG)len, &done_len, 0);
    else
        status = BCryptDecrypt(handle, (PUCHAR)in, (ULONG)len, &info, NULL, 0, out, (ULONG)len, &done_len, 0);
    ok = NT_SUCCESS(status) && done_len == (ULONG)len;
done:
    if (handle != NULL) BCryptDestroyKey(handle);
    BCryptCloseAlgorithmProvider(alg, 0);
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
    /* CNG compares the tag itself and fails with STATUS_AUTH_TAG_MISMATCH. */
    return gcm(0, key, iv, aad, aad_len, in, len, out, copy);
}

int random_bytes(uint8_t *out, size_t len) {
    return NT_SUCCESS(BCryptGenRandom(NULL, out, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}
