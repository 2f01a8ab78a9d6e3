using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using k8s.Models;

namespace Timonel.Networking.Dns;

/// <summary>
/// The cluster's names, answered as CoreDNS' kubernetes plugin answers them (with K3s' <c>pods insecure</c>):
/// <c>svc.ns.svc.zone</c> (cluster IPs; a headless Service's ready endpoints; an ExternalName's CNAME),
/// <c>endpoint.svc.ns.svc.zone</c>, <c>_port._proto.svc.ns.svc.zone</c> SRV, <c>1-2-3-4.ns.pod.zone</c>, and PTR
/// for cluster IPs and endpoint addresses. A name in the zone that does not exist is NXDOMAIN, one that exists without
/// the type asked NODATA, both with the zone's SOA in the authority section.
/// </summary>
public sealed class KubernetesZone
{
    /// <summary>CoreDNS' kubernetes plugin default TTL.</summary>
    public const int DefaultTtl = 5;

    private static readonly DomainName _inAddrArpa = DomainName.Parse("in-addr.arpa");
    private static readonly DomainName _ip6Arpa = DomainName.Parse("ip6.arpa");
    private readonly ServiceDirectory _directory;
    private readonly DomainName _zone;
    private readonly int _ttl;
    private readonly Func<uint> _serial;

    /// <param name="serial">The SOA serial: CoreDNS' is the time of the last change it saw, in Unix seconds.</param>
    public KubernetesZone(ServiceDirectory directory, string zone, Func<uint> serial, int ttl = DefaultTtl)
    {
        _directory = directory;
        _zone = DomainName.Parse(zone);
        _ttl = ttl;
        _serial = serial;
    }

    public DomainName Zone => _zone;

    /// <summary>
    /// Fills <paramref name="response"/> for <paramref name="question"/> and answers true, or answers false when the
    /// name is not the cluster's to answer (outside the zone, or a reverse name of no cluster IP or endpoint), so it
    /// goes to the upstream resolvers as K3s' Corefile falls through.
    /// </summary>
    public bool TryAnswer(DnsQuestion question, DnsMessage response)
    {
        if (question.Name.IsSubDomainOf(_inAddrArpa) || question.Name.IsSubDomainOf(_ip6Arpa))
        {
            return TryAnswerReverse(question, response);
        }

        if (!question.Name.IsEqualOrSubDomainOf(_zone))
        {
            return false;
        }

        response.IsAuthoritiveAnswer = true;
        var labels = question.Name.Labels;
        var relative = labels.Take(labels.Length - _zone.LabelCount).Select(label => label.ToLowerInvariant()).ToArray();
        var answer = relative.Length == 0 ? AnswerApex(question)
            : relative[^1] == "svc" ? AnswerServices(question, relative[..^1])
            : relative[^1] == "pod" ? AnswerPods(question, relative[..^1])
            : Answer.NameError;
        answer.WriteTo(response, Soa());
        return true;
    }

    private Answer AnswerApex(DnsQuestion question) => question.RecordType switch
    {
        RecordType.Soa => new Answer([Soa()]),
        RecordType.Ns => new Answer([new NsRecord(question.Name, _ttl, NameServer)]),
        _ => Answer.NoData,
    };

    private Answer AnswerServices(DnsQuestion question, string[] labels)
    {
        switch (labels.Length)
        {
            case 0:
                return Answer.NoData;
            case 1:
                return _directory.HasServicesIn(labels[0]) ? Answer.NoData : Answer.NameError;
        }

        var service = _directory.Service(labels[^1], labels[^2]);
        if (service is null)
        {
            return Answer.NameError;
        }

        return labels.Length switch
        {
            2 => AnswerService(question, service),
            3 => AnswerEndpoint(question, service, labels[0]),
            4 when labels[0].StartsWith('_') && labels[1].StartsWith('_') => AnswerPort(question, service, labels[0][1..], labels[1][1..]),
            _ => Answer.NameError,
        };
    }

    private Answer AnswerService(DnsQuestion question, V1Service service)
    {
        if (service.Spec?.Type == "ExternalName")
        {
            return question.RecordType is RecordType.A or RecordType.Aaaa or RecordType.CName or RecordType.Any && DomainName.TryParse(service.Spec.ExternalName ?? "", out var target)
                ? new Answer([new CNameRecord(question.Name, _ttl, target!)])
                : Answer.NoData;
        }

        return AnswerPorts(question, service, [.. service.Spec?.Ports ?? []]);
    }

    private Answer AnswerPort(DnsQuestion question, V1Service service, string port, string protocol)
    {
        var ports = (service.Spec?.Ports ?? []).Where(p => string.Equals(p.Name, port, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Protocol ?? "TCP", protocol, StringComparison.OrdinalIgnoreCase)).ToList();
        return ports.Count == 0 ? Answer.NameError : AnswerPorts(question, service, ports);
    }

    /// <summary>A Service's addresses (A/AAAA) or its SRV records, limited to <paramref name="ports"/>.</summary>
    private Answer AnswerPorts(DnsQuestion question, V1Service service, IReadOnlyList<V1ServicePort> ports)
    {
        var serviceName = ServiceName(service);
        if (!IsHeadless(service))
        {
            var clusterIPs = ClusterIPs(service);
            return question.RecordType == RecordType.Srv
                ? Srv(question.Name, ports.Select(port => ((ushort)port.Port, serviceName)), clusterIPs.Select(ip => Address(serviceName, ip)))
                : Addresses(question, clusterIPs);
        }

        var endpoints = ServiceEndpoint.Of(service, _directory.SlicesOf(service));
        if (endpoints.Count == 0)
        {
            return Answer.NameError;
        }

        if (question.RecordType != RecordType.Srv)
        {
            return Addresses(question, endpoints.Select(endpoint => endpoint.Address));
        }

        var targets = new List<(ushort, DomainName)>();
        var additionals = new List<DnsRecordBase>();
        foreach (var endpoint in endpoints)
        {
            var target = DomainName.Parse(endpoint.Name) + serviceName;
            var matching = endpoint.Ports.Where(p => p.Port is not null && ports.Any(sp => (sp.Name ?? "") == (p.Name ?? "") && (sp.Protocol ?? "TCP") == (p.Protocol ?? "TCP"))).ToList();
            targets.AddRange(matching.Select(p => ((ushort)p.Port!.Value, target)));
            if (matching.Count > 0)
            {
                additionals.Add(Address(target, endpoint.Address));
            }
        }

        return targets.Count == 0 ? Answer.NameError : Srv(question.Name, targets, additionals);
    }

    private Answer AnswerEndpoint(DnsQuestion question, V1Service service, string name)
    {
        var endpoints = ServiceEndpoint.Of(service, _directory.SlicesOf(service)).Where(endpoint => endpoint.Name == name).ToList();
        return endpoints.Count == 0 ? Answer.NameError : Addresses(question, endpoints.Select(endpoint => endpoint.Address));
    }

    // pods insecure: any namespace, the address read from the name without looking for the pod (K3s' Corefile).
    private Answer AnswerPods(DnsQuestion question, string[] labels)
    {
        switch (labels.Length)
        {
            case 0 or 1:
                return Answer.NoData;
            case 2:
                var name = labels[0];
                var text = name.Contains("--", StringComparison.Ordinal) || name.Count(c => c == '-') > 3 ? name.Replace('-', ':') : name.Replace('-', '.');
                return IPAddress.TryParse(text, out var address) ? Addresses(question, [address]) : Answer.NameError;
            default:
                return Answer.NameError;
        }
    }

    private bool TryAnswerReverse(DnsQuestion question, DnsMessage response)
    {
        if (ReverseName.ToAddress(question.Name) is not { } address)
        {
            return false;
        }

        var ip = address.ToString();
        var names = _directory.ServicesWithClusterIP(ip).Select(ServiceName).ToList();
        if (names.Count == 0)
        {
            foreach (var slice in _directory.SlicesWithAddress(ip))
            {
                if (slice.Metadata?.Labels?.TryGetValue(ServiceDirectory.ServiceNameLabel, out var serviceName) != true)
                {
                    continue;
                }

                var hostnames = (slice.Endpoints ?? []).Where(endpoint => endpoint.Addresses?.Contains(ip) == true).Select(endpoint => endpoint.Hostname);
                names.AddRange(hostnames.Distinct().Select(hostname => DomainName.Parse($"{ServiceEndpoint.NameOf(hostname, address)}.{serviceName}.{slice.Metadata.NamespaceProperty}.svc") + _zone));
            }
        }

        if (names.Count == 0)
        {
            return false;
        }

        response.IsAuthoritiveAnswer = true;
        var answer = question.RecordType is RecordType.Ptr or RecordType.Any
            ? new Answer([.. names.Distinct().Select(name => (DnsRecordBase)new PtrRecord(question.Name, _ttl, name))])
            : Answer.NoData;
        answer.WriteTo(response, Soa());
        return true;
    }

    private Answer Addresses(DnsQuestion question, IEnumerable<IPAddress> addresses)
    {
        var all = addresses.Distinct().ToList();
        var family = question.RecordType switch
        {
            RecordType.A => AddressFamily.InterNetwork,
            RecordType.Aaaa => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        var matching = question.RecordType == RecordType.Any ? all : all.Where(address => address.AddressFamily == family).ToList();
        return matching.Count == 0 ? Answer.NoData : new Answer([.. matching.Select(address => Address(question.Name, address))]);
    }

    // Priority 0 and an equal share of 100 as weight, as CoreDNS gives records of one priority.
    private Answer Srv(DomainName owner, IEnumerable<(ushort Port, DomainName Target)> targets, IEnumerable<DnsRecordBase> additionals)
    {
        var distinct = targets.Distinct().ToList();
        var weight = (ushort)(distinct.Count == 0 ? 0 : 100 / distinct.Count);
        return new Answer([.. distinct.Select(target => (DnsRecordBase)new SrvRecord(owner, _ttl, 0, weight, target.Port, target.Target))], [.. additionals]);
    }

    private DnsRecordBase Address(DomainName name, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? new AaaaRecord(name, _ttl, address) : new ARecord(name, _ttl, address);

    private DomainName ServiceName(V1Service service) => DomainName.Parse($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc") + _zone;

    private static bool IsHeadless(V1Service service) => service.Spec?.ClusterIP == "None";

    private static IEnumerable<IPAddress> ClusterIPs(V1Service service)
    {
        IEnumerable<string> ips = service.Spec?.ClusterIPs is { Count: > 0 } list ? list : service.Spec?.ClusterIP is { Length: > 0 } one ? [one] : [];
        return ips.Select(ip => IPAddress.TryParse(ip, out var address) ? address : null).OfType<IPAddress>();
    }

    private DomainName NameServer => DomainName.Parse("ns.dns") + _zone;

    // CoreDNS' SOA for its zones: ns.dns.<zone>, hostmaster.<zone>, refresh 2 h, retry 30 min, expire 1 day, and the
    // TTL as minimum (the time resolvers may cache the negative answer).
    private SoaRecord Soa() => new(_zone, _ttl, NameServer, DomainName.Parse("hostmaster") + _zone, _serial(), 7200, 1800, 86400, _ttl);
}
