// Prints the suite's wall time and "N passed, M failed" as the last line (what CI reads).
export default class Summary {
  onBegin() {
    this.started = Date.now();
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }
  onTestEnd(test, result) {
    // Counted once per test, at its last attempt.
    if (result.retry < test.retries && result.status !== "passed") return;
    if (result.status === "passed") this.passed++;
    else if (result.status === "skipped") this.skipped++;
    else this.failed++;
  }
  onEnd() {
    console.log(`browser suite: ${((Date.now() - this.started) / 1000).toFixed(1)} s`);
    console.log(`${this.passed} passed, ${this.failed} failed${this.skipped ? `, ${this.skipped} skipped` : ""}`);
  }
}
