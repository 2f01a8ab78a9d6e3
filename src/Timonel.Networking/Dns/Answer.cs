using ARSoft.Tools.Net.Dns;

namespace Timonel.Networking.Dns;

/// <summary>What the zone says about one name: its records, or that the name does not exist (NXDOMAIN), or that it exists without records of the type asked (NODATA).</summary>
internal sealed record Answer(IReadOnlyList<DnsRecordBase> Records, IReadOnlyList<DnsRecordBase>? Additionals = null, ReturnCode Code = ReturnCode.NoError)
{
    public static Answer NameError { get; } = new([], null, ReturnCode.NxDomain);

    public static Answer NoData { get; } = new([]);

    /// <summary>Writes the answer; a negative one carries the zone's SOA in the authority section, so resolvers know how long to cache it.</summary>
    public void WriteTo(DnsMessage response, SoaRecord soa)
    {
        response.ReturnCode = Code;
        response.AnswerRecords.AddRange(Records);
        response.AdditionalRecords.AddRange(Additionals ?? []);
        if (Records.Count == 0)
        {
            response.AuthorityRecords.Add(soa);
        }
    }
}
