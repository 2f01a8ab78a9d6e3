namespace Timonel.Controllers.Cloud;

/// <summary>A zone (upstream's FailureDomain) and its region; either may be "" when the cloud has none.</summary>
public sealed record CloudZone(string FailureDomain, string Region);
