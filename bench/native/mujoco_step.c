// Native anchor for `npm run bench -- mujoco --native BIN`: raw mj_step per CPU-second of an MJCF
// model, in the same loop as the bench's WebAssembly one (bench/mujoco.ts, rawStepRate): a fixed
// table of pseudo-random controls in [-1, 1] changed every 4 steps, a reset (mj_resetData +
// mj_forward) whenever z = qpos[1] <= 0.7 or |qpos[2]| >= 0.2 (Hopper's health rule on its first
// two coordinates). Built against Debian's libmujoco by bench/native/build.sh.
// usage: mujoco_step MODEL.xml INTEGRATOR(0 Euler, 1 RK4) STEPS REPS
// prints one JSON line: version, integrator, median and all rates (mj_step per CPU-second).
#include <mujoco/mujoco.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s MODEL.xml INTEGRATOR STEPS REPS\n", argv[0]);
    return 2;
  }
  char err[1000];
  mjModel* m = mj_loadXML(argv[1], 0, err, sizeof err);
  if (!m) {
    fprintf(stderr, "could not load %s: %s\n", argv[1], err);
    return 1;
  }
  m->opt.integrator = atoi(argv[2]);
  long steps = atol(argv[3]);
  int reps = atoi(argv[4]);
  if (steps <= 0 || reps <= 0 || reps > 99) {
    fprintf(stderr, "STEPS and REPS (1..99) must be positive\n");
    return 2;
  }
  mjData* d = mj_makeData(m);
  static double controls[3 * 4096];
  unsigned s = 12345;
  for (int i = 0; i < 3 * 4096; i++) {
    s = s * 1103515245u + 12345u;
    controls[i] = (s / 4294967296.0) * 2 - 1;
  }
  double rates[99];
  long resets = 0;
  for (int r = -1; r < reps; r++) {  // r = -1: warm-up
    mj_resetData(m, d);
    mj_forward(m, d);
    double t0 = cpu_seconds();
    for (long i = 0; i < steps; i++) {
      if ((i & 3) == 0) {
        int k = (int)((i >> 2) & 4095) * 3;
        for (int j = 0; j < m->nu && j < 3; j++) d->ctrl[j] = controls[k + j];
        if (!(d->qpos[1] > 0.7 && fabs(d->qpos[2]) < 0.2)) {
          mj_resetData(m, d);
          mj_forward(m, d);
          resets++;
        }
      }
      mj_step(m, d);
    }
    double rate = steps / (cpu_seconds() - t0);
    if (r >= 0) rates[r] = rate;
  }
  printf("{\"version\":\"%s\",\"integrator\":%d,\"resets\":%ld,\"rates\":[", mj_versionString(), m->opt.integrator, resets);
  for (int r = 0; r < reps; r++) printf("%s%.1f", r ? "," : "", rates[r]);
  qsort(rates, reps, sizeof(double), by_value);
  printf("],\"median\":%.1f}\n", reps % 2 ? rates[reps / 2] : 0.5 * (rates[reps / 2 - 1] + rates[reps / 2]));
  mj_deleteData(d);
  mj_deleteModel(m);
  return 0;
}
