#!/usr/bin/env node
// Makes sure the token has Coffer's trusted backup wrapping key, creating it once with the SO PIN.
// Idempotent: prints "present" or "created" and changes nothing when the key exists. Never prints a PIN.
// Environment: SOFTHSM2_CONF (the token's config), COFFER_PKCS11_TOKEN (label, default coffer),
// COFFER_HSM_SO_PIN_FILE (default $COFFER_HOME/hsm/so.pin), COFFER_PKCS11_MODULE (default SoftHSM's).
//
// The key: AES-256, CKA_TRUSTED (only an SO session may set it), CKA_WRAP/CKA_UNWRAP and nothing
// else, sensitive and never extractable. Coffer keys are CKA_WRAP_WITH_TRUSTED, so this is the only
// key that can wrap them (key backup). It is a public token object: an SO session cannot create
// private objects, and the user session must find it by label (libs/hsm/src/key-templates.ts).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const pkcs11js = require('pkcs11js');

const LABEL = 'coffer-trusted-backup';
const home = process.env.COFFER_HOME || join(__dirname, '..', '..', '.coffer');
const tokenLabel = process.env.COFFER_PKCS11_TOKEN || 'coffer';
const soPinFile = process.env.COFFER_HSM_SO_PIN_FILE || join(home, 'hsm', 'so.pin');
const modulePath = process.env.COFFER_PKCS11_MODULE || '/usr/lib/softhsm/libsofthsm2.so';

const fail = (message) => {
  process.stderr.write(`ensure-backup-key: ${message}\n`);
  process.exit(1);
};

const pkcs11 = new pkcs11js.PKCS11();
pkcs11.load(modulePath);
pkcs11.C_Initialize();
let session;
let loggedIn = false;
try {
  const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === tokenLabel);
  if (slot === undefined) fail(`no initialised token labelled '${tokenLabel}'`);
  session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  const search = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: LABEL },
    { type: pkcs11js.CKA_TRUSTED, value: true },
  ];
  // A public object: visible without logging in.
  pkcs11.C_FindObjectsInit(session, search);
  const found = pkcs11.C_FindObjects(session, 1);
  pkcs11.C_FindObjectsFinal(session);
  if (found.length > 0) {
    process.stdout.write(`ensure-backup-key: trusted backup key on token '${tokenLabel}' present\n`);
  } else {
    let soPin;
    try {
      soPin = readFileSync(soPinFile, 'utf8').trim();
    } catch {
      fail(`cannot read the SO PIN file ${soPinFile}; the trusted backup key was not created`);
    }
    pkcs11.C_Login(session, pkcs11js.CKU_SO, soPin);
    soPin = undefined;
    loggedIn = true;
    pkcs11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      ...search,
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_ID, value: Buffer.from(LABEL) },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_MODIFIABLE, value: false },
      { type: pkcs11js.CKA_WRAP, value: true },
      { type: pkcs11js.CKA_UNWRAP, value: true },
      { type: pkcs11js.CKA_ENCRYPT, value: false },
      { type: pkcs11js.CKA_DECRYPT, value: false },
      { type: pkcs11js.CKA_SIGN, value: false },
      { type: pkcs11js.CKA_VERIFY, value: false },
      { type: pkcs11js.CKA_DERIVE, value: false },
    ]);
    process.stdout.write(`ensure-backup-key: created the trusted backup key on token '${tokenLabel}'\n`);
  }
} catch (err) {
  // pkcs11js messages are CKR_* names; they never contain the PIN.
  fail(`${err && err.message ? err.message.split('\n')[0] : 'PKCS#11 failure'}`);
} finally {
  try {
    if (loggedIn) pkcs11.C_Logout(session);
    if (session !== undefined) pkcs11.C_CloseSession(session);
    pkcs11.C_Finalize();
  } catch {
    // Exiting anyway.
  }
}
