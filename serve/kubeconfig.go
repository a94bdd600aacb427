package serve

import "fmt"

// KubeconfigName is the name of the cluster, user and context a kubeconfig
// from Kubeconfig defines.
const KubeconfigName = "kubesim"

// Kubeconfig returns a kubeconfig for a server at url (http://host:port):
// a cluster, a user and a context all named kubesim, the context current
// and in namespace default. The server has no authentication, so the user
// carries no credentials.
func Kubeconfig(url string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: %[2]s
  cluster:
    server: %[1]s
users:
- name: %[2]s
  user: {}
contexts:
- name: %[2]s
  context:
    cluster: %[2]s
    user: %[2]s
    namespace: default
current-context: %[2]s
preferences: {}
`, url, KubeconfigName)
}
