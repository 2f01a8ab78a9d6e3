using ARSoft.Tools.Net.Dns;

namespace Timonel.Networking.Dns;

/// <summary>An upstream resolver's answer to one question: its return code and sections, without the OPT record.</summary>
public sealed record CachedAnswer(ReturnCode Code, IReadOnlyList<DnsRecordBase> Answers, IReadOnlyList<DnsRecordBase> Authorities, IReadOnlyList<DnsRecordBase> Additionals)
{
    public static CachedAnswer From(DnsMessage message) => new(
        message.ReturnCode,
        [.. message.AnswerRecords],
        [.. message.AuthorityRecords],
        [.. message.AdditionalRecords.Where(record => record is not OptRecord)]);

    /// <summary>
    /// How long the answer may be reused: its smallest TTL; a negative answer's is its SOA's (RFC 2308: the lesser of
    /// the SOA record's TTL and its minimum). Failures are never reused.
    /// </summary>
    public TimeSpan Lifetime()
    {
        if (Code is not (ReturnCode.NoError or ReturnCode.NxDomain))
        {
            return TimeSpan.Zero;
        }

        if (Answers.Count > 0)
        {
            return TimeSpan.FromSeconds(Answers.Min(record => record.TimeToLive));
        }

        return Authorities.OfType<SoaRecord>().FirstOrDefault() is { } soa
            ? TimeSpan.FromSeconds(Math.Min(soa.TimeToLive, soa.NegativeCachingTTL))
            : TimeSpan.Zero;
    }

    public void WriteTo(DnsMessage response)
    {
        response.ReturnCode = Code;
        response.AnswerRecords.AddRange(Answers);
        response.AuthorityRecords.AddRange(Authorities);
        response.AdditionalRecords.AddRange(Additionals);
    }
}
