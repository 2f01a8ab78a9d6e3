using ARSoft.Tools.Net.Dns;
using k8s.Models;
using Xunit;
using static Timonel.Networking.Tests.Dns.ZoneFixture;

namespace Timonel.Networking.Tests.Dns;

public sealed class KubernetesZoneTests
{
    private static readonly V1ServicePort _http = new() { Name = "http", Port = 80, Protocol = "TCP" };
    private static readonly Discoveryv1EndpointPort _httpEndpoint = new() { Name = "http", Port = 8080, Protocol = "TCP" };
    private readonly ZoneFixture _fixture = new();

    [Fact]
    public void A_service_name_answers_its_cluster_ip_with_the_plugin_ttl()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));

        var response = _fixture.Ask("hello.default.svc.cluster.local", RecordType.A)!;

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.True(response.IsAuthoritiveAnswer);
        var record = Assert.IsType<ARecord>(Assert.Single(response.AnswerRecords));
        Assert.Equal("10.43.12.34", record.Address.ToString());
        Assert.Equal(5, record.TimeToLive);
    }

    [Fact]
    public void Names_are_matched_without_regard_to_case()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));

        var response = _fixture.Ask("Hello.DEFAULT.svc.Cluster.Local", RecordType.A)!;

        Assert.Single(response.AnswerRecords);
    }

    [Fact]
    public void A_missing_service_is_nxdomain_with_the_zone_soa()
    {
        var response = _fixture.Ask("nope.default.svc.cluster.local", RecordType.A)!;

        Assert.Equal(ReturnCode.NxDomain, response.ReturnCode);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(response.AuthorityRecords));
        Assert.Equal("cluster.local.", soa.Name.ToString());
        Assert.Equal("ns.dns.cluster.local.", soa.MasterName.ToString());
        Assert.Equal("hostmaster.cluster.local.", soa.ResponsibleName.ToString());
        Assert.Equal(5, soa.NegativeCachingTTL);
    }

    [Fact]
    public void Asking_aaaa_of_an_ipv4_service_is_nodata()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));

        var response = _fixture.Ask("hello.default.svc.cluster.local", RecordType.Aaaa)!;

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.Empty(response.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(response.AuthorityRecords));
    }

    [Fact]
    public void A_namespace_with_services_is_nodata_and_one_without_is_nxdomain()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));

        Assert.Equal(ReturnCode.NoError, _fixture.Ask("default.svc.cluster.local", RecordType.A)!.ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, _fixture.Ask("empty.svc.cluster.local", RecordType.A)!.ReturnCode);
    }

    [Fact]
    public void A_headless_service_answers_its_ready_endpoints_only()
    {
        _fixture.Services.Add(Service("default", "db", "None", _http));
        _fixture.Slices.Add(Slice("default", "db", [_httpEndpoint], Endpoint("10.42.0.5"), Endpoint("10.42.0.6"), Endpoint("10.42.0.7", ready: false)));

        var response = _fixture.Ask("db.default.svc.cluster.local", RecordType.A)!;

        Assert.Equal(["10.42.0.5", "10.42.0.6"], response.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order());
    }

    [Fact]
    public void A_headless_service_publishing_not_ready_addresses_answers_them_too()
    {
        var service = Service("default", "db", "None", _http);
        service.Spec.PublishNotReadyAddresses = true;
        _fixture.Services.Add(service);
        _fixture.Slices.Add(Slice("default", "db", [_httpEndpoint], Endpoint("10.42.0.7", ready: false)));

        Assert.Single(_fixture.Ask("db.default.svc.cluster.local", RecordType.A)!.AnswerRecords);
    }

    [Fact]
    public void A_headless_service_without_ready_endpoints_is_nxdomain()
    {
        _fixture.Services.Add(Service("default", "db", "None", _http));
        _fixture.Slices.Add(Slice("default", "db", [_httpEndpoint], Endpoint("10.42.0.7", ready: false)));

        Assert.Equal(ReturnCode.NxDomain, _fixture.Ask("db.default.svc.cluster.local", RecordType.A)!.ReturnCode);
    }

    [Fact]
    public void A_statefulset_pod_resolves_by_its_hostname_under_its_service()
    {
        _fixture.Services.Add(Service("default", "web", "None", _http));
        _fixture.Slices.Add(Slice("default", "web", [_httpEndpoint], Endpoint("10.42.0.5", hostname: "web-0"), Endpoint("10.42.0.6", hostname: "web-1")));

        var response = _fixture.Ask("web-1.web.default.svc.cluster.local", RecordType.A)!;

        Assert.Equal("10.42.0.6", Assert.IsType<ARecord>(Assert.Single(response.AnswerRecords)).Address.ToString());
        Assert.Equal(ReturnCode.NxDomain, _fixture.Ask("web-2.web.default.svc.cluster.local", RecordType.A)!.ReturnCode);
    }

    [Fact]
    public void An_endpoint_without_hostname_resolves_by_its_dashed_address()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));
        _fixture.Slices.Add(Slice("default", "hello", [_httpEndpoint], Endpoint("10.42.0.5")));

        var response = _fixture.Ask("10-42-0-5.hello.default.svc.cluster.local", RecordType.A)!;

        Assert.Equal("10.42.0.5", Assert.IsType<ARecord>(Assert.Single(response.AnswerRecords)).Address.ToString());
    }

    [Fact]
    public void A_named_port_answers_srv_to_the_service_name_with_its_address_as_additional()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http, new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }));

        var response = _fixture.Ask("_http._tcp.hello.default.svc.cluster.local", RecordType.Srv)!;

        var srv = Assert.IsType<SrvRecord>(Assert.Single(response.AnswerRecords));
        Assert.Equal(80, srv.Port);
        Assert.Equal("hello.default.svc.cluster.local.", srv.Target.ToString());
        Assert.Equal("_http._tcp.hello.default.svc.cluster.local.", srv.Name.ToString());
        Assert.Equal("10.43.12.34", Assert.IsType<ARecord>(Assert.Single(response.AdditionalRecords)).Address.ToString());
        Assert.Equal(53, Assert.IsType<SrvRecord>(Assert.Single(_fixture.Ask("_dns._udp.hello.default.svc.cluster.local", RecordType.Srv)!.AnswerRecords)).Port);
        Assert.Equal(ReturnCode.NxDomain, _fixture.Ask("_http._udp.hello.default.svc.cluster.local", RecordType.Srv)!.ReturnCode);
    }

    [Fact]
    public void A_headless_named_port_answers_srv_per_endpoint_with_endpoint_ports()
    {
        _fixture.Services.Add(Service("default", "web", "None", _http));
        _fixture.Slices.Add(Slice("default", "web", [_httpEndpoint], Endpoint("10.42.0.5", hostname: "web-0"), Endpoint("10.42.0.6")));

        var response = _fixture.Ask("_http._tcp.web.default.svc.cluster.local", RecordType.Srv)!;

        var targets = response.AnswerRecords.OfType<SrvRecord>().Select(r => $"{r.Target} {r.Port} {r.Weight}").Order();
        Assert.Equal(["10-42-0-6.web.default.svc.cluster.local. 8080 50", "web-0.web.default.svc.cluster.local. 8080 50"], targets);
        Assert.Equal(2, response.AdditionalRecords.OfType<ARecord>().Count());
    }

    [Fact]
    public void An_external_name_service_answers_a_cname()
    {
        var service = Service("default", "search", "", _http);
        service.Spec.Type = "ExternalName";
        service.Spec.ExternalName = "www.example.com";
        service.Spec.ClusterIPs = null;
        _fixture.Services.Add(service);

        var response = _fixture.Ask("search.default.svc.cluster.local", RecordType.A)!;

        Assert.Equal("www.example.com.", Assert.IsType<CNameRecord>(Assert.Single(response.AnswerRecords)).CanonicalName.ToString());
    }

    [Fact]
    public void A_pod_name_answers_the_address_it_spells()
    {
        var response = _fixture.Ask("10-42-0-9.default.pod.cluster.local", RecordType.A)!;

        Assert.Equal("10.42.0.9", Assert.IsType<ARecord>(Assert.Single(response.AnswerRecords)).Address.ToString());
        Assert.Equal(ReturnCode.NxDomain, _fixture.Ask("not-an-ip.default.pod.cluster.local", RecordType.A)!.ReturnCode);
    }

    [Fact]
    public void Reverse_names_of_cluster_ips_and_endpoints_answer_their_names()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http), Service("default", "web", "None", _http));
        _fixture.Slices.Add(Slice("default", "web", [_httpEndpoint], Endpoint("10.42.0.5", hostname: "web-0")));

        var service = _fixture.Ask("34.12.43.10.in-addr.arpa", RecordType.Ptr)!;
        var endpoint = _fixture.Ask("5.0.42.10.in-addr.arpa", RecordType.Ptr)!;

        Assert.Equal("hello.default.svc.cluster.local.", Assert.IsType<PtrRecord>(Assert.Single(service.AnswerRecords)).PointerDomainName.ToString());
        Assert.Equal("web-0.web.default.svc.cluster.local.", Assert.IsType<PtrRecord>(Assert.Single(endpoint.AnswerRecords)).PointerDomainName.ToString());
    }

    [Fact]
    public void Names_outside_the_cluster_and_unknown_reverse_names_are_left_to_the_forwarder()
    {
        Assert.Null(_fixture.Ask("example.com", RecordType.A));
        Assert.Null(_fixture.Ask("1.1.168.192.in-addr.arpa", RecordType.Ptr));
    }

    [Fact]
    public void A_service_deleted_stops_resolving()
    {
        var service = Service("default", "hello", "10.43.12.34", _http);
        _fixture.Services.Add(service);
        _fixture.Services.Delete(service);

        Assert.Equal(ReturnCode.NxDomain, _fixture.Ask("hello.default.svc.cluster.local", RecordType.A)!.ReturnCode);
    }

    [Fact]
    public void The_zone_apex_answers_its_soa()
    {
        var response = _fixture.Ask("cluster.local", RecordType.Soa)!;

        Assert.Equal(42u, Assert.IsType<SoaRecord>(Assert.Single(response.AnswerRecords)).SerialNumber);
    }
}
