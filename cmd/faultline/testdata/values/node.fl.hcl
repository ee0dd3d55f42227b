# Node action arguments the linux node driver refuses. Every line marked
# `# want:COL SUMMARY` must get exactly that error at that column from
# `faultline validate`; no other line any.
cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.21" }
  node "n2" { address = "198.18.230.22" }
}

scenario "node-values" {
  cloud = cloud.lab

  step "no-stressor" { # want:3 Missing argument
    stress   = all()
    duration = "10s"
  }
  step "bogus-kind" {
    stress   = all()
    duration = "10s"
    kind     = "bogus" # want:16 Invalid argument value
  }
  step "upper-kind" {
    stress   = all()
    duration = "10s"
    kind     = "CPU" # want:16 Invalid argument value
  }
  step "no-workers" {
    stress   = all()
    duration = "10s"
    kind     = "cpu"
    workers  = 0 # want:16 Invalid argument value
  }
  step "too-many-workers" {
    stress   = all()
    duration = "10s"
    kind     = "memory"
    workers  = 65 # want:16 Invalid argument value
  }
  step "fractional-workers" {
    stress   = all()
    duration = "10s"
    kind     = "io"
    workers  = 1.5 # want:16 Invalid argument value
  }
  step "shorthand-too-many" {
    stress   = all()
    duration = "10s"
    cpu      = 100 # want:16 Invalid argument value
  }
  step "bad-size" {
    stress   = all()
    duration = "10s"
    kind     = "memory"
    size     = "lots" # want:16 Invalid argument value
  }
  step "zero-size" {
    stress   = all()
    duration = "10s"
    kind     = "disk"
    size     = "0M" # want:16 Invalid argument value
  }
  step "relative-path" {
    stress   = all()
    duration = "10s"
    kind     = "disk"
    path     = "tmp" # want:16 Invalid argument value
  }
  step "unclean-path" {
    stress   = all()
    duration = "10s"
    kind     = "disk"
    path     = "/tmp/../etc" # want:16 Invalid argument value
  }
  step "negative-fill" {
    disk_fill = one()
    path      = "/run/fill"
    size      = "-5M" # want:17 Invalid argument value
  }
  step "fill-relative" {
    disk_fill = one()
    path      = "run/fill" # want:17 Invalid argument value
    size      = "8M"
  }
  step "zero-skew" {
    clock_skew  = one()
    offset      = "0s" # want:19 Invalid argument value
    allow_clock = true
  }
  step "fractional-skew" {
    clock_skew  = one()
    offset      = "1.5s" # want:19 Invalid argument value
    allow_clock = true
  }
  step "clock-not-allowed" {
    clock_skew  = one()
    offset      = "+30s"
    allow_clock = false # want:19 Invalid argument value
  }
  step "empty-command" {
    exec    = one()
    command = "  " # want:15 Invalid argument value
  }
  step "fine" {
    stress   = one()
    duration = "10s"
    kind     = "kernel"
    workers  = 2
  }
}
