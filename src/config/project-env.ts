// The uv variables a project file's [env] may set: an allowlist, checked against every variable
// uv 0.13 reads (crates/uv-static/src/env_vars.rs). A repository is data, never authority, so none of
// these can name a program, a file, a folder, a URL, host, index or mirror, a package source,
// credentials, a config file, or a verification or trust setting. The admin and user layers may set
// any variable; uv's own `[tool.uv]` table remains the place for a project's uv settings.
// The reasons are printed in docs/config-reference.md (`npm run docs:config`).

/** Allowed name -> what it does, in a few words. */
export const PROJECT_ENV_ALLOWLIST: Readonly<Record<string, string>> = {
  UV_LINK_MODE: 'how packages are linked from the cache (copy, clone, hardlink, symlink)',
  UV_COMPILE_BYTECODE: 'compile .pyc files after installing',
  UV_COMPILE_BYTECODE_TIMEOUT: 'a timeout for that',
  UV_RESOLUTION: 'highest, lowest or lowest-direct versions',
  UV_PRERELEASE: 'whether pre-releases may be chosen',
  UV_FORK_STRATEGY: 'version selection in universal resolution',
  UV_FROZEN: 'use uv.lock without updating it',
  UV_LOCKED: 'fail if uv.lock would change',
  UV_NO_SYNC: 'do not update the environment',
  UV_OFFLINE: 'no network at all',
  UV_NO_BUILD: 'never build source distributions',
  UV_NO_BUILD_PACKAGE: 'never build these packages from source',
  UV_DEV: 'include the dev group',
  UV_NO_DEV: 'leave out the dev group',
  UV_NO_GROUP: 'leave out these dependency groups',
  UV_NO_DEFAULT_GROUPS: 'leave out the default groups',
  UV_NO_EDITABLE: 'install the project non-editable',
  UV_NO_INSTALL_PROJECT: 'install the dependencies only',
  UV_NO_INSTALL_WORKSPACE: 'leave out workspace members',
  UV_NO_INSTALL_LOCAL: 'leave out local packages',
  UV_PYTHON_PREFERENCE: 'prefer managed or system Pythons (not which file)',
  UV_MANAGED_PYTHON: 'only uv-managed Pythons',
  UV_NO_MANAGED_PYTHON: 'no uv-managed Pythons',
  UV_VENV_SEED: 'seed pip/setuptools into new environments',
  UV_VENV_RELOCATABLE: 'relocatable environments',
  UV_INIT_BARE: '`uv init` writes only pyproject.toml',
  UV_NO_INSTALLER_METADATA: 'skip INSTALLER/REQUESTED files',
  UV_NO_ENV_FILE: 'ignore .env files in `uv run`',
  UV_CUSTOM_COMPILE_COMMAND: 'the header text of `uv pip compile` output (never run)',
  UV_CONCURRENT_DOWNLOADS: 'parallel downloads',
  UV_CONCURRENT_BUILDS: 'parallel builds',
  UV_CONCURRENT_INSTALLS: 'install threads',
  UV_CONCURRENT_CACHE_READS: 'cache read threads',
  UV_HTTP_TIMEOUT: 'network read timeout',
  UV_HTTP_CONNECT_TIMEOUT: 'network connect timeout',
  UV_HTTP_RETRIES: 'network retries',
  UV_REQUEST_TIMEOUT: 'older name of UV_HTTP_TIMEOUT',
  UV_UPLOAD_HTTP_TIMEOUT: 'upload timeout',
  UV_LOCK_TIMEOUT: 'how long to wait for a file lock',
  UV_RUN_RLIMIT_NOFILE: 'open-file limit of `uv run` children',
  UV_NO_PROGRESS: 'no progress bars',
  UV_NO_WRAP: 'no line wrapping in messages',
  UV_LOG_CONTEXT: 'more context in log lines',
  UV_SHOW_RESOLUTION: 'show resolver output',
  UV_HIDE_BUILD_OUTPUT: 'hide build backend output',
};

/**
 * Left out on purpose, with the reason (the rest of uv's variables name a location, an index, a URL
 * or a credential and need no comment). Shown in the config reference.
 */
export const PROJECT_ENV_NOTABLY_DENIED: Readonly<Record<string, string>> = {
  UV_PYTHON: 'picks the interpreter uv runs: a program of the repository\'s choosing',
  UV_CONFIG_FILE: 'its own uv.toml, with indexes and find-links',
  UV_NO_CONFIG: 'drops the admin\'s system uv.toml',
  UV_NO_SYSTEM_CONFIG: 'drops the admin\'s system uv.toml',
  UV_ISOLATED: 'drops uv config files',
  UV_CONSTRAINT: 'files or URLs of constraints',
  UV_OVERRIDE: 'files or URLs of overrides',
  UV_BUILD_CONSTRAINT: 'files or URLs of build constraints',
  UV_EXCLUDE: 'a file',
  UV_EXCLUDE_NEWER: 'an admin\'s supply-chain cool-down ("false" turns it off); a project can use `exclude-newer` in [tool.uv]',
  UV_NO_VERIFY_HASHES: 'turns off hash verification',
  UV_REQUIRE_HASHES: 'a verification setting (false would undo an admin\'s true)',
  UV_INSECURE_NO_ZIP_VALIDATION: 'turns off ZIP validation',
  UV_SKIP_WHEEL_FILENAME_CHECK: 'turns off a wheel check',
  UV_INDEX_STRATEGY: '"unsafe-best-match" opens dependency confusion',
  UV_S3_ENDPOINT_URL: 'a URL that receives signed requests',
  UV_WORKING_DIR: 'a folder',
  UV_PROJECT: 'a folder',
  UV_PYTHON_DOWNLOADS: 'whether uv downloads and runs Pythons; an admin sets it',
  UV_PYTHON_INSTALL_BIN: 'writes executables',
  UV_SYSTEM_PYTHON: 'installs into a system Python',
  UV_BREAK_SYSTEM_PACKAGES: 'installs into a system Python',
  UV_NO_BUILD_ISOLATION: 'builds see the environment instead of an isolated one',
  UV_NO_BINARY: 'builds every package from source (runs its build code)',
  UV_NO_SOURCES: 'a package source setting',
  UV_TORCH_BACKEND: 'picks a PyTorch index',
  UV_PREVIEW: 'preview features may write elsewhere',
  UV_ENV_FILE: 'a file loaded into `uv run`',
};

/** Whether a project file may set this [env] variable (names compared in upper case, as Windows does). */
export function projectMaySetEnv(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(PROJECT_ENV_ALLOWLIST, name.toUpperCase());
}
