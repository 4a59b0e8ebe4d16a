#ifndef CSODIUM_SHIM_H
#define CSODIUM_SHIM_H
// Staff passwords (argon2id, crypto_pwhash_str): everything Swift needs imports as it is.
#include <sodium.h>
#endif
