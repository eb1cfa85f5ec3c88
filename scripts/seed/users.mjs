// Demo users for `npm start`: about 20 people across every status, some with a
// password and a recovery question. Idempotent: a user is looked up by login
// before it is created, and status changes are only made to users it created.
const DOMAIN = "example.com";
export const DEMO_PASSWORD = "Edgeorg-Demo-2026";
const QUESTION = { question: "What is the name of the demo org?", answer: "edgeorg demo" };

// [first, last, department, final status, password?, recovery question?]
const PEOPLE = [
  ["Ada", "Lovelace", "Engineering", "ACTIVE", true, true],
  ["Alan", "Turing", "Engineering", "ACTIVE", true, true],
  ["Grace", "Hopper", "Engineering", "ACTIVE", true, false],
  ["Edsger", "Dijkstra", "Engineering", "ACTIVE", true, false],
  ["Barbara", "Liskov", "Engineering", "PASSWORD_EXPIRED", true, false],
  ["Donald", "Knuth", "Engineering", "STAGED", false, false],
  ["Margaret", "Hamilton", "Engineering", "PROVISIONED", false, false],
  ["Linus", "Torvalds", "Engineering", "SUSPENDED", true, false],
  ["Frances", "Allen", "Engineering", "RECOVERY", true, true],
  ["Ken", "Thompson", "Engineering", "DEPROVISIONED", true, false],
  ["Mary", "Jackson", "Sales", "ACTIVE", true, true],
  ["Katherine", "Johnson", "Sales", "ACTIVE", true, false],
  ["Dorothy", "Vaughan", "Sales", "ACTIVE", true, false],
  ["Hedy", "Lamarr", "Sales", "STAGED", true, false],
  ["Radia", "Perlman", "Support", "ACTIVE", true, true],
  ["Karen", "Spärck Jones", "Support", "ACTIVE", true, false],
  ["Sophie", "Wilson", "Support", "PROVISIONED", false, false],
  ["Tim", "Berners-Lee", "Support", "ACTIVE", true, false],
  ["Whitfield", "Diffie", "Support", "SUSPENDED", true, false],
  ["Élise", "Müller", "Support", "ACTIVE", true, false],
];

function loginOf(first, last) {
  const plain = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return `${plain(first)}.${plain(last)}@${DOMAIN}`;
}

async function ok(reply, what) {
  if (reply.status < 200 || reply.status > 299) throw new Error(`${what} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function seed(api) {
  let created = 0;
  const shown = [];
  for (const [first, last, department, status, password, question] of PEOPLE) {
    const login = loginOf(first, last);
    const found = await api.request("GET", `/api/v1/users/${encodeURIComponent(login)}`);
    if (found.status === 200) {
      if (password && status === "ACTIVE" && shown.length < 3) shown.push(login);
      continue;
    }
    if (found.status !== 404) throw new Error(`looking up ${login} failed: ${found.status}`);
    const credentials = {};
    if (password) credentials.password = { value: DEMO_PASSWORD };
    if (question) credentials.recovery_question = QUESTION;
    const activate = status !== "STAGED";
    const user = await ok(
      await api.request("POST", `/api/v1/users?activate=${activate}`, {
        profile: { firstName: first, lastName: last, email: login, login, department, title: `${department} demo user` },
        credentials,
      }),
      `creating ${login}`,
    );
    created++;
    const step = {
      SUSPENDED: "suspend",
      DEPROVISIONED: "deactivate",
      RECOVERY: "reset_password?sendEmail=false",
      PASSWORD_EXPIRED: "expire_password",
    }[status];
    if (step) await ok(await api.request("POST", `/api/v1/users/${user.id}/lifecycle/${step}`), `${step} ${login}`);
    if (password && status === "ACTIVE" && shown.length < 3) shown.push(login);
  }
  api.log(`${PEOPLE.length} demo users (${created} new) across every status`);
  return [`Users: ${PEOPLE.length} demo users, e.g. ${shown.join(", ")} — password ${DEMO_PASSWORD}`];
}
