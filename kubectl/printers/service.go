package printers

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Services, Endpoints and EndpointSlices: `kubectl get svc`, `get ep`,
// `get endpointslices` (printers.go printService, printEndpoints,
// printEndpointSlice) and `kubectl describe service` (describe.go
// describeService).
func init() {
	register("Service", kindPrinter{
		columns: []column{
			{name: "Name", isName: true},
			{name: "Type"},
			{name: "Cluster-IP"},
			{name: "External-IP"},
			{name: "Port(s)"},
			{name: "Age"},
			{name: "Selector", wide: true},
		},
		row:      typedRow(serviceRow),
		describe: typedDescribe(describeService),
	})
	register("Endpoints", kindPrinter{
		columns: []column{{name: "Name", isName: true}, {name: "Endpoints"}, {name: "Age"}},
		row:     typedRow(endpointsRow),
	})
	register("EndpointSlice", kindPrinter{
		columns: []column{{name: "Name", isName: true}, {name: "AddressType"}, {name: "Ports"},
			{name: "Endpoints"}, {name: "Age"}},
		row: typedRow(endpointSliceRow),
	})
}

// maxListed is how many items kubectl's endpoint cells list before
// "+ N more...".
const maxListed = 3

// serviceRow is upstream's printService.
func serviceRow(svc *objects.Service, now time.Time) []string {
	clusterIP := svc.Spec.ClusterIP
	if clusterIP == "" {
		clusterIP = "<none>"
	}
	return []string{svc.Name, svc.Spec.Type, clusterIP, serviceExternalIP(svc), servicePorts(svc.Spec.Ports),
		since(svc.CreationTimestamp, now), formatLabels(svc.Spec.Selector)}
}

// serviceExternalIP is upstream's getServiceExternalIP.
func serviceExternalIP(svc *objects.Service) string {
	switch svc.Spec.Type {
	case objects.ServiceTypeClusterIP, objects.ServiceTypeNodePort:
		if len(svc.Spec.ExternalIPs) > 0 {
			return strings.Join(svc.Spec.ExternalIPs, ",")
		}
		return "<none>"
	case objects.ServiceTypeLoadBalancer:
		var ips []string
		for _, in := range svc.Status.LoadBalancer.Ingress {
			if in.IP != "" {
				ips = append(ips, in.IP)
			} else if in.Hostname != "" {
				ips = append(ips, in.Hostname)
			}
		}
		ips = append(ips, svc.Spec.ExternalIPs...)
		if len(ips) > 0 {
			return strings.Join(ips, ",")
		}
		return "<pending>"
	case objects.ServiceTypeExternalName:
		return svc.Spec.ExternalName
	}
	return "<unknown>"
}

// servicePorts is upstream's makePortString: "80/TCP", "80:30080/TCP".
func servicePorts(ports []objects.ServicePort) string {
	if len(ports) == 0 {
		return "<none>"
	}
	out := make([]string, len(ports))
	for i, p := range ports {
		if p.NodePort > 0 {
			out[i] = fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol)
		} else {
			out[i] = fmt.Sprintf("%d/%s", p.Port, p.Protocol)
		}
	}
	return strings.Join(out, ",")
}

// endpointsRow is upstream's printEndpoints.
func endpointsRow(ep *objects.Endpoints, now time.Time) []string {
	return []string{ep.Name, formatEndpoints(ep), since(ep.CreationTimestamp, now)}
}

// truncatedList collects up to maxListed items and counts the rest.
type truncatedList struct {
	items []string
	count int
}

// add counts s and keeps it while there is room.
func (l *truncatedList) add(s string) {
	l.count++
	if len(l.items) < maxListed {
		l.items = append(l.items, s)
	}
}

// String joins the kept items, adding " + N more..." for the rest.
func (l *truncatedList) String() string {
	s := strings.Join(l.items, ",")
	if l.count > maxListed {
		s += fmt.Sprintf(" + %d more...", l.count-maxListed)
	}
	return s
}

// formatEndpoints is upstream's formatEndpoints: the ready addresses with
// each port, "<none>" without subsets.
func formatEndpoints(ep *objects.Endpoints) string {
	if len(ep.Subsets) == 0 {
		return "<none>"
	}
	var l truncatedList
	for _, ss := range ep.Subsets {
		if len(ss.Ports) == 0 {
			for _, a := range ss.Addresses {
				l.add(a.IP)
			}
			continue
		}
		for _, p := range ss.Ports {
			for _, a := range ss.Addresses {
				l.add(net.JoinHostPort(a.IP, strconv.Itoa(int(p.Port))))
			}
		}
	}
	return l.String()
}

// endpointSliceRow is upstream's printEndpointSlice.
func endpointSliceRow(s *objects.EndpointSlice, now time.Time) []string {
	return []string{s.Name, s.AddressType, formatDiscoveryPorts(s.Ports), formatDiscoveryEndpoints(s.Endpoints),
		since(s.CreationTimestamp, now)}
}

// formatDiscoveryPorts is upstream's formatDiscoveryPorts.
func formatDiscoveryPorts(ports []objects.EndpointSlicePort) string {
	if len(ports) == 0 {
		return "<unset>"
	}
	var l truncatedList
	for _, p := range ports {
		if p.Port == nil {
			l.add("<unset>")
		} else {
			l.add(strconv.Itoa(int(*p.Port)))
		}
	}
	return l.String()
}

// formatDiscoveryEndpoints is upstream's formatDiscoveryEndpoints: every
// endpoint's addresses, ready or not.
func formatDiscoveryEndpoints(eps []objects.Endpoint) string {
	if len(eps) == 0 {
		return "<unset>"
	}
	var l truncatedList
	for _, ep := range eps {
		for _, a := range ep.Addresses {
			l.add(a)
		}
	}
	return l.String()
}

// describeService is kubectl's describeService.
func describeService(w *prefixWriter, svc *objects.Service, opts DescribeOptions) error {
	sp := &svc.Spec
	w.write(0, "Name:\t%s\n", svc.Name)
	w.write(0, "Namespace:\t%s\n", svc.Namespace)
	printLabelsMultiline(w, "Labels", svc.Labels)
	printAnnotationsMultiline(w, "Annotations", svc.Annotations)
	w.write(0, "Selector:\t%s\n", formatLabels(sp.Selector))
	w.write(0, "Type:\t%s\n", sp.Type)
	if sp.IPFamilyPolicy != nil {
		w.write(0, "IP Family Policy:\t%s\n", *sp.IPFamilyPolicy)
	}
	if len(sp.IPFamilies) > 0 {
		w.write(0, "IP Families:\t%s\n", strings.Join(sp.IPFamilies, ","))
	} else {
		w.write(0, "IP Families:\t<none>\n")
	}
	w.write(0, "IP:\t%s\n", sp.ClusterIP)
	if len(sp.ClusterIPs) > 0 {
		w.write(0, "IPs:\t%s\n", strings.Join(sp.ClusterIPs, ","))
	}
	if len(sp.ExternalIPs) > 0 {
		w.write(0, "External IPs:\t%s\n", strings.Join(sp.ExternalIPs, ","))
	}
	if sp.Type == objects.ServiceTypeExternalName {
		w.write(0, "External Name:\t%s\n", sp.ExternalName)
	}
	describeServicePorts(w, svc, opts.EndpointSlices)
	w.write(0, "Session Affinity:\t%s\n", sp.SessionAffinity)
	if sp.ExternalTrafficPolicy != "" {
		w.write(0, "External Traffic Policy:\t%s\n", sp.ExternalTrafficPolicy)
	}
	if sp.InternalTrafficPolicy != nil {
		w.write(0, "Internal Traffic Policy:\t%s\n", *sp.InternalTrafficPolicy)
	}
	describeEventsUnlessHidden(w, opts)
	return nil
}

// describeServicePorts prints each port with its target, node port and
// endpoints.
func describeServicePorts(w *prefixWriter, svc *objects.Service, slices []*objects.EndpointSlice) {
	for _, p := range svc.Spec.Ports {
		name := p.Name
		if name == "" {
			name = "<unset>"
		}
		w.write(0, "Port:\t%s\t%d/%s\n", name, p.Port, p.Protocol)
		w.write(0, "TargetPort:\t%s/%s\n", p.TargetPort.String(), p.Protocol)
		if p.NodePort != 0 {
			w.write(0, "NodePort:\t%s\t%d/%s\n", name, p.NodePort, p.Protocol)
		}
		w.write(0, "Endpoints:\t%s\n", formatEndpointSlices(slices, &p.Name))
	}
	if len(svc.Spec.Ports) == 0 {
		w.write(0, "Endpoints:\t%s\n", formatEndpointSlices(slices, nil))
	}
}

// formatEndpointSlices is kubectl's formatEndpointSlices: the ready
// endpoints with the slice port named portName (every port when nil).
func formatEndpointSlices(slices []*objects.EndpointSlice, portName *string) string {
	if len(slices) == 0 {
		return "<none>"
	}
	var l truncatedList
	for _, s := range slices {
		if len(s.Ports) == 0 {
			for _, ep := range readyEndpoints(s) {
				l.add(ep.Addresses[0])
			}
			continue
		}
		for _, p := range s.Ports {
			if portName != nil && (p.Name == nil || *p.Name != *portName) || p.Port == nil {
				continue
			}
			for _, ep := range readyEndpoints(s) {
				l.add(net.JoinHostPort(ep.Addresses[0], strconv.Itoa(int(*p.Port))))
			}
		}
	}
	return l.String()
}

// readyEndpoints lists the slice's endpoints that are ready (or say nothing).
func readyEndpoints(s *objects.EndpointSlice) []objects.Endpoint {
	var out []objects.Endpoint
	for _, ep := range s.Endpoints {
		if len(ep.Addresses) > 0 && (ep.Conditions.Ready == nil || *ep.Conditions.Ready) {
			out = append(out, ep)
		}
	}
	return out
}
