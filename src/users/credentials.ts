import { isPlainObject } from "./profile";
import { POLICY_CAUSE, hashAnswer, hashPassword, meetsPolicy } from "./password";
import type { AnswerRecord, PasswordRecord } from "./table";

/** What a request's `credentials` object asks for, checked but not yet hashed. */
export interface CredentialsInput {
  password?: { value: string } | { hash: Extract<PasswordRecord, { kind: "hash" }> } | { hook: string };
  recoveryQuestion?: { question: string; answer: string };
  provider?: { type: string; name: string };
}

const ALGORITHMS = ["BCRYPT", "SHA-512", "SHA-256", "SHA-1", "MD5", "PBKDF2"] as const;
export const PROVIDER_TYPES = ["OKTA", "ACTIVE_DIRECTORY", "LDAP", "FEDERATION", "SOCIAL", "IMPORT"];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const RADIX64 = /^[A-Za-z0-9./]+$/;

/**
 * Reads `credentials` of a create or update request. Causes are pushed onto
 * `causes` ("<field>: <message>"); the password policy is checked against
 * `login` for plain-text passwords only (an imported hash cannot be checked).
 */
export function readCredentials(raw: unknown, login: string, causes: string[]): CredentialsInput {
  const out: CredentialsInput = {};
  if (raw === undefined || raw === null) return out;
  if (!isPlainObject(raw)) {
    causes.push("credentials: The value must be an object");
    return out;
  }
  if (raw.password !== undefined && raw.password !== null) {
    const password = raw.password;
    if (!isPlainObject(password)) {
      causes.push("password: The value must be an object");
    } else if (password.value !== undefined) {
      if (typeof password.value !== "string" || password.value === "") {
        causes.push("password: The field cannot be left blank");
      } else if (!meetsPolicy(password.value, login)) {
        causes.push(POLICY_CAUSE);
      } else {
        out.password = { value: password.value };
      }
    } else if (password.hash !== undefined) {
      const hash = readHash(password.hash, causes);
      if (hash) out.password = { hash };
    } else if (password.hook !== undefined) {
      const hook = password.hook;
      if (!isPlainObject(hook) || hook.type !== "default") {
        causes.push("password.hook.type: The password hook type must be 'default'");
      } else {
        out.password = { hook: "default" };
      }
    }
  }
  if (raw.recovery_question !== undefined && raw.recovery_question !== null) {
    const rq = raw.recovery_question;
    const question = isPlainObject(rq) ? rq.question : undefined;
    const answer = isPlainObject(rq) ? rq.answer : undefined;
    let ok = true;
    for (const [field, value] of [["question", question], ["answer", answer]] as const) {
      if (typeof value !== "string" || value.trim() === "") {
        causes.push(`recovery_question.${field}: The field cannot be left blank`);
        ok = false;
      } else if (Array.from(value).length > 100) {
        causes.push(`recovery_question.${field}: The field cannot be longer than 100 characters`);
        ok = false;
      }
    }
    if (ok && typeof answer === "string" && typeof question === "string" && question.toLowerCase().includes(answer.trim().toLowerCase())) {
      causes.push("recovery_question.answer: The answer must not be part of the question");
      ok = false;
    }
    if (ok) out.recoveryQuestion = { question: question as string, answer: answer as string };
  }
  if (raw.provider !== undefined && raw.provider !== null) {
    const provider = raw.provider;
    const type = isPlainObject(provider) ? provider.type : undefined;
    if (typeof type !== "string" || !PROVIDER_TYPES.includes(type)) {
      causes.push(`provider.type: Must be one of ${PROVIDER_TYPES.join(", ")}`);
    } else {
      const name = isPlainObject(provider) && typeof provider.name === "string" && provider.name ? provider.name : type;
      out.provider = { type, name };
    }
  }
  return out;
}

function readHash(raw: unknown, causes: string[]): Extract<PasswordRecord, { kind: "hash" }> | undefined {
  const before = causes.length;
  if (!isPlainObject(raw)) {
    causes.push("password.hash: The value must be an object");
    return undefined;
  }
  const algorithm = raw.algorithm;
  if (typeof algorithm !== "string" || !(ALGORITHMS as readonly string[]).includes(algorithm)) {
    causes.push(`password.hash.algorithm: Must be one of ${ALGORITHMS.join(", ")}`);
    return undefined;
  }
  const str = (name: string, required: boolean, pattern: RegExp) => {
    const value = raw[name];
    if (value === undefined || value === null || value === "") {
      if (required) causes.push(`password.hash.${name}: The field cannot be left blank`);
      return undefined;
    }
    if (typeof value !== "string" || !pattern.test(value)) {
      causes.push(`password.hash.${name}: The value is not correctly encoded`);
      return undefined;
    }
    return value;
  };
  const int = (name: string, min: number, max: number) => {
    const value = raw[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      causes.push(`password.hash.${name}: Must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return value;
  };
  const record: Extract<PasswordRecord, { kind: "hash" }> = {
    kind: "hash",
    algorithm: algorithm as (typeof ALGORITHMS)[number],
    value: "",
    imported: true,
  };
  if (algorithm === "BCRYPT") {
    record.workFactor = int("workFactor", 1, 20);
    record.salt = str("salt", true, RADIX64);
    record.value = str("value", true, RADIX64) ?? "";
    if (record.salt && record.salt.length !== 22) causes.push("password.hash.salt: A BCRYPT salt must be 22 characters long");
    if (record.value && record.value.length !== 31) causes.push("password.hash.value: A BCRYPT hash must be 31 characters long");
  } else if (algorithm === "PBKDF2") {
    const digest = raw.digestAlgorithm;
    if (digest !== "SHA256_HMAC" && digest !== "SHA512_HMAC") {
      causes.push("password.hash.digestAlgorithm: Must be one of SHA256_HMAC, SHA512_HMAC");
    } else {
      record.digestAlgorithm = digest;
    }
    record.iterations = int("iterationCount", 4096, 10_000_000);
    record.keySize = int("keySize", 1, 1024);
    record.salt = str("salt", true, BASE64);
    record.value = str("value", true, BASE64) ?? "";
  } else {
    record.salt = str("salt", false, BASE64);
    record.value = str("value", true, BASE64) ?? "";
    if (record.salt) {
      if (raw.saltOrder !== "PREFIX" && raw.saltOrder !== "POSTFIX") {
        causes.push("password.hash.saltOrder: Must be PREFIX or POSTFIX when a salt is given");
      } else {
        record.saltOrder = raw.saltOrder;
      }
    }
  }
  return causes.length === before ? record : undefined;
}

/** Hashes what was asked for; the plain text is dropped here. */
export async function materialize(
  input: CredentialsInput,
  iterations: number,
): Promise<{ password?: PasswordRecord; recoveryAnswer?: AnswerRecord }> {
  const out: { password?: PasswordRecord; recoveryAnswer?: AnswerRecord } = {};
  if (input.password) {
    if ("value" in input.password) out.password = await hashPassword(input.password.value, iterations);
    else if ("hash" in input.password) out.password = input.password.hash;
    else out.password = { kind: "hook", type: input.password.hook };
  }
  if (input.recoveryQuestion) out.recoveryAnswer = await hashAnswer(input.recoveryQuestion.answer, iterations);
  return out;
}
