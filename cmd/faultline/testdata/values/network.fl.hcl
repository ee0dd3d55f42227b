# Network action arguments and network blocks the linux network driver
# refuses. Every line marked `# want:COL SUMMARY` must get exactly that
# error at that column from `faultline validate`; no other line any.
cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.31" }
  node "n2" { address = "198.18.230.32" }

  network "mgmt" { iface = "eth0" }
  network "spaced" { iface = "eth 1" } # want:30 Invalid attribute value
  network "ranged" {
    iface = "eth2"
    cidr  = "198.18.0.0/33" # want:13 Invalid attribute value
  }
}

scenario "network-values" {
  cloud = cloud.lab

  step "too-much-loss" {
    loss    = network.mgmt
    percent = 150 # want:15 Invalid argument value
  }
  step "no-loss" {
    loss    = network.mgmt
    percent = 0 # want:15 Invalid argument value
  }
  step "negative-loss" {
    loss    = network.mgmt
    percent = -1 # want:15 Invalid argument value
  }
  step "loss-via-tc" {
    loss    = network.mgmt
    percent = 10
    via     = "tc" # want:15 Invalid argument value
  }
  step "negative-latency" {
    delay   = network.mgmt
    latency = "-5s" # want:15 Invalid argument type
  }
  step "zero-latency" {
    delay   = network.mgmt
    latency = "0s" # want:15 Invalid argument value
  }
  step "negative-jitter" {
    delay   = network.mgmt
    latency = "100ms"
    jitter  = "-1ms" # want:15 Invalid argument type
  }
  step "over-corrupt" {
    corrupt = network.mgmt
    percent = 100.5 # want:15 Invalid argument value
  }
  step "thirds" {
    partition = network.mgmt
    shape     = "thirds" # want:17 Invalid argument value
  }
  step "bad-peer" {
    partition = network.mgmt
    with      = ["198.18.230.32", "not a host!"] # want:17 Invalid argument value
  }
  step "no-peers" { # want:3 Missing argument
    partition = network.mgmt
  }
  step "fine" {
    loss    = network.mgmt
    percent = 12.5
    via     = "netem"
  }
}
