using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Networking.Dns;
using Xunit;
using static Timonel.Networking.Tests.Dns.ZoneFixture;

namespace Timonel.Networking.Tests.Dns;

public sealed class ZoneAnswerCacheTests
{
    private static readonly V1ServicePort _http = new() { Name = "http", Port = 80, Protocol = "TCP" };
    private readonly ZoneFixture _fixture = new();
    private readonly ZoneAnswerCache _answers = new();
    private readonly DnsQueryHandler _handler;

    public ZoneAnswerCacheTests()
    {
        _handler = new DnsQueryHandler(_fixture.Zone, new UpstreamForwarder([], new ForwardCache(TimeProvider.System), NullLogger.Instance), _answers);
    }

    [Fact]
    public async Task A_repeated_question_gets_the_same_answer()
    {
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));

        var first = await AskAsync("hello.default.svc.cluster.local");
        var second = await AskAsync("hello.default.svc.cluster.local");

        Assert.Equal("10.43.12.34", Address(first));
        Assert.Equal("10.43.12.34", Address(second));
        Assert.True(second.IsAuthoritiveAnswer);
    }

    [Fact]
    public async Task A_change_seen_by_the_informers_is_answered_at_once()
    {
        var before = await AskAsync("hello.default.svc.cluster.local");
        _fixture.Services.Add(Service("default", "hello", "10.43.12.34", _http));

        _answers.Invalidate();
        var after = await AskAsync("hello.default.svc.cluster.local");

        Assert.Equal(ReturnCode.NxDomain, before.ReturnCode);
        Assert.Equal("10.43.12.34", Address(after));
    }

    [Fact]
    public async Task An_answer_computed_before_a_change_is_not_served_after_it()
    {
        var question = new DnsQuestion(DomainName.Parse("hello.default.svc.cluster.local"), RecordType.A, RecordClass.INet);
        var stale = new DnsMessage { ReturnCode = ReturnCode.NxDomain };
        var generation = _answers.Generation;
        _answers.Invalidate();

        _answers.Store(question, stale, generation);

        Assert.False(_answers.TryWrite(question, new DnsMessage()));
    }

    private Task<DnsMessage> AskAsync(string name)
    {
        var query = new DnsMessage();
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), RecordType.A, RecordClass.INet));
        return _handler.AnswerAsync(query, CancellationToken.None);
    }

    private static string Address(DnsMessage response) => Assert.IsType<ARecord>(Assert.Single(response.AnswerRecords)).Address.ToString();
}
