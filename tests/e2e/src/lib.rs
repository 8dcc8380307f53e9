//! Nothing here: the tests are in `tests/e2e/`.
