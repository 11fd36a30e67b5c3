//! Scenario tests live in the files beside this one; this library is intentionally empty.
