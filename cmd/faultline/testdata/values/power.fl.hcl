# Power configs and actions the power drivers refuse, among them
# soft_reboot, which IPMI cannot do. Every line marked `# want:COL
# SUMMARY` must get exactly that error at that column from `faultline
# validate`; no other line any.
cloud "bmc" {
  driver = "universal"

  node "n1" {
    address = "198.18.230.51"
    power   = power.bmc
  }

  power "bmc" {
    driver        = "ipmi"
    username      = "admin"
    port          = 80800 # want:21 Invalid attribute value
    cipher_suite  = 0 # want:21 Invalid attribute value
    interface     = "lanplus2" # want:21 Invalid attribute value
    retries       = -1 # want:21 Invalid attribute value
    state_timeout = "0s" # want:21 Invalid attribute value
  }
  power "fish" {
    driver   = "redfish"
    username = "admin"
    endpoint = "ftp://bmc.lab" # want:16 Invalid attribute value
    auth     = "digest" # want:16 Invalid attribute value
  }
  power "virt" {
    driver          = "libvirt"
    uri             = "qemu+gopher://host/system" # want:23 Invalid attribute value
    connect_timeout = "-1s" # want:23 Invalid duration
    poll_interval   = 0 # want:23 Invalid attribute value
  }
}

cloud "ipmi-only" {
  driver = "universal"

  node "n1" {
    address = "198.18.230.52"
    power   = power.bmc
  }

  power "bmc" {
    driver   = "ipmi"
    username = "admin"
  }
}

cloud "virt" {
  driver = "universal"

  node "n1" {
    address = "198.18.230.53"
    power   = power.virt
  }

  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
}

scenario "ipmi-soft-reboot" {
  cloud = cloud.ipmi-only

  step "graceful" {
    soft_reboot = power.bmc # want:5 Unsupported action
  }
  step "graceful-nodes" {
    soft_reboot = all() # want:5 Unsupported action
  }
  step "fine" {
    reset = all()
  }
}

scenario "snapshots" {
  cloud = cloud.virt

  step "escape" {
    snapshot = power.virt
    name     = "../base" # want:16 Invalid argument value
  }
  step "long" {
    snapshot = power.virt
    name     = "a-snapshot-name-that-is-far-too-long-for-faultline-to-accept-it-at-all" # want:16 Invalid argument value
  }
  step "fine" {
    snapshot = power.virt
    name     = "base-1"
  }
}
