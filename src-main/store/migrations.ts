// Numbered schema migrations. Migration i (1-based) brings a database from user_version i-1 to i.
// Never edit a released migration: add a new one. Every table is STRICT; hot tables are WITHOUT ROWID.
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    spec TEXT NOT NULL,                 -- the full experiment spec as JSON (validated)
    source TEXT,                        -- the YAML or JSON text it came from, when any
    tags TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
    notes TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL            -- Unix seconds
  ) STRICT;

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    experiment_id INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    env_id TEXT NOT NULL,
    variant TEXT NOT NULL,
    env_params TEXT NOT NULL,           -- JSON object
    algo TEXT NOT NULL,
    preset TEXT NOT NULL,
    seed INTEGER NOT NULL,
    config BLOB NOT NULL,               -- the full resolved RunConfig as JSONB (read with json(config))
    backend TEXT,                       -- tensor backend the worker reported
    versions TEXT,                      -- JSON {app, tfjs, node, electron}
    status TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','failed','cancelled','interrupted')),
    reason TEXT,
    owner_pid INTEGER,                  -- process that runs it while status = running
    created_at REAL NOT NULL,
    started_at REAL,
    ended_at REAL,
    global_step INTEGER NOT NULL DEFAULT 0,
    total_steps INTEGER NOT NULL,
    last_eval TEXT NOT NULL DEFAULT '{}', -- JSON {deterministic?: mean return, stochastic?: mean return}
    notes TEXT NOT NULL DEFAULT ''
  ) STRICT;
  CREATE INDEX runs_experiment ON runs(experiment_id);
  CREATE INDEX runs_env ON runs(env_id);
  CREATE INDEX runs_algo ON runs(algo);
  CREATE INDEX runs_status ON runs(status);

  CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX run_tags_tag ON run_tags(tag);

  CREATE TABLE metric_keys (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
  ) STRICT;

  -- One scalar per (run, key, step). value NULL stands for NaN. No foreign keys on the two hot
  -- tables (metrics, metric_tiles): checking them costs ~15% of ingest; RunsRepo.delete and
  -- ExperimentsRepo.delete remove their rows explicitly.
  CREATE TABLE metrics (
    run_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    step INTEGER NOT NULL,
    wall_time REAL NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, key_id, step)
  ) STRICT, WITHOUT ROWID;

  -- One row per series (run, key): how many points it holds and its last step.
  CREATE TABLE metric_series (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES metric_keys(id),
    count INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    PRIMARY KEY (run_id, key_id)
  ) STRICT, WITHOUT ROWID;

  -- Min/max tiles over consecutive points of one series (see downsample.ts): level l covers
  -- TILE_BASE * TILE_FANOUT^l points; tile idx covers points [idx*size, (idx+1)*size).
  CREATE TABLE metric_tiles (
    run_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    min_step INTEGER NOT NULL, min_wall REAL NOT NULL, min_value REAL,
    max_step INTEGER NOT NULL, max_wall REAL NOT NULL, max_value REAL,
    PRIMARY KEY (run_id, key_id, level, idx)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('deterministic','stochastic')),
    returns TEXT NOT NULL,              -- JSON array, one per episode
    lengths TEXT NOT NULL,              -- JSON array
    start_seeds TEXT NOT NULL,          -- JSON array
    mean_return REAL,
    std_return REAL,
    wall_time REAL NOT NULL,
    UNIQUE (run_id, step, mode)
  ) STRICT;

  CREATE TABLE episodes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    return REAL,
    length INTEGER NOT NULL,
    wall_time REAL NOT NULL
  ) STRICT;
  CREATE INDEX episodes_run_step ON episodes(run_id, step);

  CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at REAL NOT NULL,
    UNIQUE (run_id, step)
  ) STRICT;

  -- Evaluation episodes: per-step arrays as little-endian typed-array blobs (Float32 unless noted).
  CREATE TABLE trajectories (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('deterministic','stochastic')),
    episode INTEGER NOT NULL,
    start_seed INTEGER NOT NULL,
    length INTEGER NOT NULL,
    obs_dim INTEGER NOT NULL,
    act_dim INTEGER NOT NULL,
    state_dim INTEGER NOT NULL,
    observations BLOB NOT NULL,         -- (T+1) x obs_dim
    actions BLOB NOT NULL,              -- T x act_dim
    rewards BLOB NOT NULL,              -- T
    component_names TEXT NOT NULL,      -- JSON array of reward component names
    components BLOB NOT NULL,           -- len(component_names) x T, in that order
    log_probs BLOB NOT NULL,            -- T (NaN where undefined)
    entropies BLOB NOT NULL,            -- T (NaN where undefined)
    states BLOB NOT NULL,               -- (T+1) x state_dim, Float64
    UNIQUE (run_id, step, mode, episode)
  ) STRICT;

  CREATE TABLE run_logs (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    time REAL NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL
  ) STRICT;
  CREATE INDEX run_logs_run ON run_logs(run_id, id);
  `,
  // 2: full-resolution series packed in blocks (repos/metrics.ts), so reading a long series whole
  // (smoothing, wall-time axis) costs a few blob reads instead of one row per point.
  `
  -- Block idx of a series holds its points [idx * METRIC_BLOCK, idx * METRIC_BLOCK + n) exactly as
  -- the metrics rows hold them, as little-endian Float64 blobs (NaN where value is NULL). Every block
  -- but a series' last holds METRIC_BLOCK points; the last may be partial (written when a run ends).
  -- steps is NULL when the block's steps are first_step + i * stride. Rows are the truth: a reader
  -- uses the blocks only when they and the rows after them add up to the series' count. Rowid table
  -- (large rows); vals before wall so reading steps and values does not walk the wall blob.
  CREATE TABLE metric_blocks (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES metric_keys(id),
    idx INTEGER NOT NULL,
    n INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    stride INTEGER,
    steps BLOB,
    vals BLOB NOT NULL,
    wall BLOB NOT NULL,
    PRIMARY KEY (run_id, key_id, idx)
  ) STRICT;
  `,
  // 3: where a run executes when it is not a local worker process: a Slurm job array task
  // (src-main/cluster). One row per run placed on Slurm; runs without a row are local.
  `
  CREATE TABLE slurm_tasks (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    workdir TEXT NOT NULL,              -- the shared folder DIR given to --workdir
    folder TEXT NOT NULL,               -- the run folder inside DIR the task writes
    options TEXT NOT NULL,              -- JSON submission options (partition, time, cpus, mem, extra sbatch args, requeue)
    job_id TEXT,                        -- the array job id sbatch returned (NULL until submitted)
    task_id INTEGER,                    -- this run's index in that array
    attempt INTEGER NOT NULL DEFAULT 1, -- submissions of this run (lab runs resume submits again)
    state TEXT,                         -- last Slurm state seen (PENDING, RUNNING, COMPLETED, TIMEOUT, ...)
    state_reason TEXT,                  -- Slurm's reason or exit code with that state
    state_at REAL,                      -- Unix seconds of that observation
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    ingest_segment INTEGER NOT NULL DEFAULT 0, -- reports file being read (reports-NNNN.jsonl)
    ingest_offset INTEGER NOT NULL DEFAULT 0,  -- bytes of it already stored
    ingest_pid INTEGER                  -- the lab process that ingests this run (one writer per run)
  ) STRICT;
  CREATE INDEX slurm_tasks_job ON slurm_tasks(job_id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
