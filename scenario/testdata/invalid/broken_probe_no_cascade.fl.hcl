# A probe too broken to decode is still declared: using it is not a second error.
cloud "lab" {
  node "n1" {
    address = "198.18.0.11"
  }
}

probe "api" { # ERROR: Missing probe kind
  ok = true
}

scenario "s" {
  cloud = cloud.lab
  steady_state {
    probes = [probe.api]
  }
  wait "w" {
    until   = probe.api.ok
    timeout = "1m"
  }
}
