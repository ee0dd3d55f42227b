# Converted from the os-faults config ipmi.yaml by `faultline convert`.
# Secrets are not copied: pass the sensitive variables below with -var or FAULTLINE_VAR_<name>.

variable "ssh_password" {
  type        = string
  sensitive   = true
  description = "The SSH password of every node (from the os-faults config). Pass it with -var ssh_password=... or FAULTLINE_VAR_ssh_password; it is never written to a file."
}

variable "ipmi_password" {
  type        = string
  sensitive   = true
  description = "The IPMI password of user admin1 on BMC(s) 170.0.10.50, 170.0.10.52 (from the os-faults config). Pass it with -var ipmi_password=... or FAULTLINE_VAR_ipmi_password; it is never written to a file."
}

variable "ipmi_2_password" {
  type        = string
  sensitive   = true
  description = "The IPMI password of user admin2 on BMC(s) 170.0.10.51 (from the os-faults config). Pass it with -var ipmi_2_password=... or FAULTLINE_VAR_ipmi_2_password; it is never written to a file."
}

cloud "ipmi" {
  driver = "universal"

  auth {
    username    = "user1"
    password    = var.ssh_password
    become      = true
    known_hosts = "~/.ssh/known_hosts"
    host_keys   = "strict"
  }

  jump "bastion" {
    address = "10.0.0.52"
    auth {
      username         = "ubuntu"
      private_key_file = "/path/to/file"
    }
  }

  node "node1" {
    address = "10.0.0.51"
    fqdn    = "node1.local"
    mac     = "aa:bb:cc:dd:ee:01"
    power   = power.ipmi
  }

  node "node2" {
    address = "192.168.1.50"
    fqdn    = "node2.local"
    mac     = "aa:bb:cc:dd:ee:02"
    power   = power.ipmi-2
  }

  node "node3" {
    address = "192.168.1.51"
    fqdn    = "node3.local"
    power   = power.ipmi
  }

  service "app" {
    driver        = "process"
    grep          = "my_app"
    start_cmd     = "/bin/my_app"
    terminate_cmd = "/bin/stop_my_app"
    restart_cmd   = "/bin/my_app --restart"
    port          = 4242
  }

  service "keystone" {
    driver        = "process"
    hosts         = ["node2"]
    grep          = "keystone-all"
    start_cmd     = "salt-call --local --retcode-passthrough service.start keystone"
    terminate_cmd = "salt-call --local --retcode-passthrough service.stop keystone"
    restart_cmd   = "salt-call --local --retcode-passthrough service.restart keystone"
  }

  power "ipmi" {
    driver   = "ipmi"
    username = "admin1"
    password = var.ipmi_password
    units = {
      node1 = "170.0.10.50"
      node3 = "170.0.10.52"
    }
  }

  power "ipmi-2" {
    driver   = "ipmi"
    username = "admin2"
    password = var.ipmi_2_password
    units = {
      node2 = "170.0.10.51"
    }
  }
}
