namespace Talk.Kit.Compression.Budget;

/// <summary>A size to hold a model against: a store's download limit or a typical app, with where the number comes from.</summary>
/// <param name="Label">What it is, e.g. "App Store cellular limit (2013–2017)".</param>
/// <param name="Bytes">Decimal bytes (100 MB = 100,000,000 B).</param>
/// <param name="IsLimit">True for a download limit; false for an app's size, shown for scale.</param>
/// <param name="Source">Who said so, and when.</param>
public sealed record AppSizeReference(string Label, long Bytes, bool IsLimit, string Source);

/// <summary>
/// The sizes the talk's argument rests on: an app over the App Store's cellular download limit is not downloaded on
/// impulse, so a model that adds 100 MB meets far more scrutiny than one that adds 10 MB (Han et al. 2016, §1).
/// </summary>
public static class AppSizeReferences
{
    /// <summary>App Store cellular download limits and typical app sizes, smallest first.</summary>
    public static IReadOnlyList<AppSizeReference> All { get; } =
    [
        new("average iOS app (2012)", 23_000_000, false, "ABI Research, Sept. 2012 (games: ~60 MB)"),
        new("App Store cellular limit (2012–2013)", 50_000_000, true, "raised from 20 MB with the third-generation iPad, March 2012"),
        new("average of the 10 most-downloaded US iPhone apps (2016)", 55_000_000, false, "Sensor Tower, June 2021: 550 MB for all ten in early 2016"),
        new("App Store cellular limit (2013–2017), the talk's 100 MB", 100_000_000, true, "iOS 7, Sept. 2013 (Sensor Tower, Oct. 2013)"),
        new("App Store cellular limit (2017–2019)", 150_000_000, true, "raised in 2017"),
        new("App Store cellular limit (since 2019)", 200_000_000, true, "raised May 2019; since iOS 13 the user may override it"),
        new("average of the 10 most-downloaded US iPhone apps (2021)", 220_000_000, false, "Sensor Tower, June 2021: 2.2 GB for all ten (YouTube, TikTok, …)"),
        new("Gmail for iPhone (2021)", 355_000_000, false, "Sensor Tower, June 2021 (19 MB in 2016)"),
    ];

    /// <summary>The talk's limit: 100 MB over cellular.</summary>
    public static AppSizeReference TalkLimit => All.First(r => r.IsLimit && r.Bytes == 100_000_000);
}
