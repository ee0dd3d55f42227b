# An http probe's keystone block is decoded against its schema at validate
# time: names, types, values, and the credentials as a whole (one complete
# method, a scope that fits it; reported at the block). Every line marked
# `# want:COL SUMMARY` must get exactly that error at that column from
# `faultline validate`; no other line any.
variable "os_password" {
  type      = string
  default   = "not-a-real-password"
  sensitive = true
}

variable "empty" {
  type    = string
  default = ""
}

cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.91" }
}

probe "good" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone {
      url      = "http://198.18.230.90:5000/v3"
      username = "admin"
      password = var.os_password
      project  = "admin"
    }
  }
}

probe "typo" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone {
      url      = "http://198.18.230.90:5000/v3"
      username = "admin"
      passwrod = var.os_password # want:7 Unsupported argument
    }
  }
}

probe "ftp-url" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone {
      url      = "ftp://198.18.230.90/v3" # want:18 Invalid Keystone URL
      username = "admin"
      password = var.os_password
    }
  }
}

probe "no-url" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone { # want:14 Missing required argument
      username = "admin"
      password = var.os_password
    }
  }
}

probe "no-password" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone { # want:14 Invalid Keystone credentials
      url      = "http://198.18.230.90:5000/v3"
      username = "admin"
    }
  }
}

probe "two-scopes" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone { # want:14 Invalid Keystone credentials
      url        = "http://198.18.230.90:5000/v3"
      username   = "admin"
      password   = var.os_password
      project    = "admin"
      project_id = "0123456789abcdef0123456789abcdef"
    }
  }
}

probe "both-methods" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone { # want:14 Invalid Keystone credentials
      url                           = "http://198.18.230.90:5000/v3"
      username                      = "admin"
      password                      = var.os_password
      application_credential_id     = "ac-1"
      application_credential_secret = var.os_password
    }
  }
}

probe "scoped-application-credential" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone { # want:14 Invalid Keystone credentials
      url                           = "http://198.18.230.90:5000/v3"
      application_credential_id     = "ac-1"
      application_credential_secret = var.os_password
      project                       = "admin"
    }
  }
}

probe "empty-username" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone {
      url      = "http://198.18.230.90:5000/v3"
      username = var.empty # want:18 Empty Keystone username
      password = var.os_password
    }
  }
}

probe "list-project" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone {
      url      = "http://198.18.230.90:5000/v3"
      username = "admin"
      password = var.os_password
      project  = ["admin"] # want:18 Incorrect attribute value type
    }
  }
}

probe "two-blocks" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keystone {
      url      = "http://198.18.230.90:5000/v3"
      username = "admin"
      password = var.os_password
    }
    keystone { # want:5 Duplicate keystone block
      url      = "http://198.18.230.91:5000/v3"
      username = "admin"
      password = var.os_password
    }
  }
}

probe "misspelt-block" {
  http {
    url = "http://198.18.230.90:8776/v3/volumes"
    keyston { # want:5 Unsupported block type
      url = "http://198.18.230.90:5000/v3"
    }
  }
}

scenario "probed" {
  cloud = cloud.lab

  steady_state {
    probes = [probe.good]
  }

  step "reboot" { reboot = one() }
}
