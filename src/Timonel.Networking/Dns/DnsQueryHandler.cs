using ARSoft.Tools.Net.Dns;

namespace Timonel.Networking.Dns;

/// <summary>One query in, one response out: the cluster's names from the zone, the rest from the forwarder; a query that is not a single standard question is refused as CoreDNS does.</summary>
public sealed class DnsQueryHandler
{
    private readonly KubernetesZone _zone;
    private readonly UpstreamForwarder _forwarder;
    private readonly ZoneAnswerCache _answers;

    /// <param name="answers">The zone's answers kept between changes (<see cref="ZoneAnswerCache.Invalidate"/> on every informer event).</param>
    public DnsQueryHandler(KubernetesZone zone, UpstreamForwarder forwarder, ZoneAnswerCache? answers = null)
    {
        _zone = zone;
        _forwarder = forwarder;
        _answers = answers ?? new ZoneAnswerCache();
    }

    public async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is DnsMessage query)
        {
            e.Response = await AnswerAsync(query, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<DnsMessage> AnswerAsync(DnsMessage query, CancellationToken cancellationToken)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        if (query.OperationCode != OperationCode.Query || query.Questions.Count != 1)
        {
            response.ReturnCode = query.OperationCode == OperationCode.Query ? ReturnCode.FormatError : ReturnCode.NotImplemented;
            return response;
        }

        var question = query.Questions[0];
        if (_answers.TryWrite(question, response))
        {
            return response;
        }

        var generation = _answers.Generation;
        if (_zone.TryAnswer(question, response))
        {
            _answers.Store(question, response, generation);
        }
        else
        {
            await _forwarder.AnswerAsync(question, response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
