cloud "lab" {
  node "n1" {
    address = "198.18.7.41"
    labels  = { role = "db" }
  }
  node "n2" {
    address = "198.18.7.42"
    power   = power.virt
  }
  network "mgmt" { iface = "eth1" }
  service "db" {
    driver       = "system_service"
    hosts        = ["n1"]
    service_name = "postgres"
  }
  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
}

scenario "budgets" {
  cloud          = cloud.lab
  max_fault_time = "1m"
  timeout        = "10m"
  step "too-long" {
    stress   = all()
    duration = "2m"
  }
  parallel "g" {
    timeout = "10s"
    step "in-group" {
      stress   = all()
      duration = "30s"
    }
  }
  rollback "r1" { undo = step.too-long }
}
