using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// A node the preemptor would fit on once <see cref="Victims"/> are gone (upstream preemption.Candidate with its
/// extenderv1.Victims): the victims from most to least important, and how many of them a budget forbids evicting.
/// </summary>
public sealed record Candidate(string Name, IReadOnlyList<PodInfo> Victims, int NumPdbViolations);
