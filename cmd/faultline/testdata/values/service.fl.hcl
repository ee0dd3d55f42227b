# Service action arguments and service configs whose values the drivers
# refuse. Every line marked `# want:COL SUMMARY` must get exactly that
# error at that column from `faultline validate`; no other line any.
cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.11" }
  node "n2" { address = "198.18.230.12" }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    hosts        = ["n1", "n2"]
  }
  service "wide-port" {
    driver       = "system_service"
    service_name = "wide"
    port         = 80800 # want:20 Invalid attribute value
  }
  service "zero-port" {
    driver       = "system_service"
    service_name = "zero"
    port         = 0 # want:20 Invalid attribute value
  }
  service "half-port" {
    driver       = "system_service"
    service_name = "half"
    port         = 80.5 # want:20 Invalid attribute value
  }
  service "bad-grep" {
    driver       = "system_service"
    service_name = "bad-grep"
    grep         = "memcached(" # want:20 Invalid attribute value
  }
  service "option-name" {
    driver       = "system_service"
    service_name = "--now" # want:20 Invalid attribute value
  }
  service "proc" {
    driver = "process"
    grep   = "[a-" # want:14 Invalid attribute value
    port   = -1 # want:14 Invalid attribute value
  }
  service "ha" {
    driver   = "pcs"
    resource = "vip; reboot" # want:16 Invalid attribute value
  }
}

scenario "service-values" {
  cloud = cloud.lab

  step "typo-signal" {
    kill   = service.memcached
    signal = "SIGKIL" # want:14 Invalid argument value
  }
  step "hup" {
    kill   = service.memcached
    signal = "HUP" # want:14 Invalid argument value
  }
  step "numeric-signal" {
    kill   = service.memcached
    signal = "9" # want:14 Invalid argument value
  }
  step "instant-wait" {
    kill = service.memcached
    wait = "0s" # want:12 Invalid argument value
  }
  step "long-wait" {
    restart = service.memcached
    wait    = "11m" # want:15 Invalid argument value
  }
  step "negative-wait" {
    start = service.memcached
    wait  = "-5s" # want:13 Invalid argument type
  }
  step "negative-seconds" {
    terminate = service.memcached
    wait      = -3 # want:17 Invalid argument type
  }
  step "fine" {
    kill   = service.memcached
    signal = "sigterm"
    wait   = "30s"
  }
}
