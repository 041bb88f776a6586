import { type ChildProcess, spawn } from "node:child_process";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@mcpforge/testing/redis";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** nginx from the Debian packages (`.ci/run` installs it); the cluster tests fail loudly without it. */
export const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";

export async function requireNginx(): Promise<void> {
  try {
    await access(NGINX);
  } catch {
    throw new Error(
      `The cluster tests need nginx at ${NGINX} (apt-get install -y nginx; .ci/run installs it, NGINX=<path> overrides)`,
    );
  }
}

/** One server process of the cluster. */
export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Its stderr so far (for failure messages). */
  output(): string;
}

/** Starts `src/cluster-main.ts` as a child process and waits until it listens. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@mcpforge/source", "src/cluster-main.ts"],
    {
      cwd: APP_DIR,
      env: { ...process.env, ...env, PORT: String(port), INSTANCE: name },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  });
  process.once("exit", () => child.kill("SIGKILL"));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`instance ${name} did not start:\n${output}`)),
      30_000,
    );
    const onData = () => {
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`instance ${name} exited (${code}):\n${output}`));
    });
  });
  return { name, port, child, output: () => output };
}

/** Stops an instance: SIGTERM (graceful) or SIGKILL; resolves once it exited. */
export function stopInstance(
  instance: Instance,
  signal: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/** A real nginx in front of the instances: round-robin, no stickiness, no buffering. */
export interface Balancer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startNginx(ports: readonly number[]): Promise<Balancer> {
  const dir = await mkdtemp(join(tmpdir(), "mcpforge-nginx-"));
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) await mkdir(join(dir, sub));
  const port = await freePort();
  const conf = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream mcp {
${ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join("\n")}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_next_upstream error timeout;
    }
  }
}
`;
  await writeFile(join(dir, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  process.once("exit", () => child.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}/mcp`;
  const end = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${output}`);
    const up = await fetch(url, { method: "OPTIONS" }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > end) throw new Error(`nginx did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM"); // fast shutdown: open SSE streams are cut
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
