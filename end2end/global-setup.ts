import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

async function waitUntilReady(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = "";
  while (Date.now() < until) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server at ${url} did not become ready: ${last}`);
}

/** Starts the release server on a free port over a fresh SQLite database. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // KABINET_E2E_BINARY: another build of the server (e.g. a debug one while looking into a failure).
  const binary = process.env.KABINET_E2E_BINARY ?? join(root, "target", "release", "kabinet");
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`cargo leptos build --release\` first`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "kabinet-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? "",
    KABINET_LISTEN: `127.0.0.1:${port}`,
    KABINET_DATA_DIR: dataDir,
    KABINET_PUBLIC_URL: url,
    KABINET_ENV: "development",
    KABINET_NOW: "2026-11-20T10:00:00+03:00",
    RUST_LOG: process.env.RUST_LOG ?? "warn",
  };
  // The demo provider and its customer (+7 900 000-00-01), as `make run` loads them; the
  // showcase accounts and their binding proofs go to the tests.
  const demo = spawnSync(binary, ["demo", "--accounts", "30", "--json"], { cwd: root, env, encoding: "utf8" });
  if (demo.status !== 0) throw new Error(`kabinet demo failed: ${demo.stderr}`);
  process.env.KABINET_E2E_DEMO = demo.stdout.trim();
  const server = spawn(binary, ["serve"], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exited = false;
  server.on("exit", () => (exited = true));
  await waitUntilReady(url, 60_000);
  if (exited) throw new Error("the server exited during start-up");
  process.env.KABINET_E2E_URL = url;
  process.env.KABINET_E2E_DATA_DIR = dataDir;

  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => (exited ? r(null) : server.once("exit", r)));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
