using System.Runtime.CompilerServices;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Numerics;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Native;

/// <summary>What <see cref="ConvNumerics.Ensure"/> found and did in this process.</summary>
/// <param name="Report">The probe's report (measured now or read from the cache); null when the probe could not run.</param>
/// <param name="Route">The route every TorchSharp conv of the kit takes in this process.</param>
/// <param name="CachePath">The cache file the report was read from or written to.</param>
/// <param name="FromCache">True when the report came from the cache (measured in an earlier process on this machine).</param>
/// <param name="Error">Why the probe could not run; null when it ran.</param>
public sealed record ConvNumericsStatus(ConvNumericsReport? Report, ConvRoute Route, string? CachePath, bool FromCache, string? Error)
{
    /// <summary>Set when the route was forced by <see cref="ConvNumerics.RouteVariable"/> instead of chosen by the probe.</summary>
    public string? Forced { get; init; }

    /// <summary>The verdict in words, with where it came from.</summary>
    public string Summary => (Report is null
        ? $"not checked ({Error}); TorchSharp convs take {Route.Describe()}"
        : Report.Verdict + (FromCache
            ? $" (probed on this machine at {Report.MeasuredAt:yyyy-MM-dd HH:mm} UTC; cached in {CachePath})"
            : $" (probed now in {Report.Seconds:0.0} s; cached in {CachePath})"))
        + (Forced is null ? "" : $" Forced: {Forced}.");
}

/// <summary>
/// The kit's guard against wrong native convolutions (issue 12): before TorchSharp trains or runs a net, libtorch's
/// conv2d is checked once per machine against a float64 reference (<see cref="ConvNumericsProbe"/>, cached by the
/// machine's fingerprint), and every image batch the kit feeds a TorchSharp net goes through <see cref="Images"/>,
/// which takes the route the probe found right.
/// </summary>
/// <remarks>
/// The workaround chosen, and why: where the default route (oneDNN with channel-blocked, channel-padded layouts) is
/// wrong, channels-last activations keep oneDNN but avoid the padded blocks. Measured on the AVX-512 EPYC where the bug
/// shows, one Adam step at batch 128 (median of 12 interleaved rounds): vgg-bn 139 ms default, 98 ms channels-last,
/// 675 ms without oneDNN; mobilenet-v2 338 / 256 / 607 ms; LeNet-5 11.4 / 9.6 / 18.7 ms — channels-last is exact and
/// faster, while switching oneDNN off is exact but 1.6–4.9× slower, so it is only the fallback. Zero-padding input
/// channels to the block would fix the forward pass only: the probe also found a wrong input gradient with 144 input
/// channels, a multiple of 16. (<c>dotnet run -c Release --project tests/Talk.Kit.Benchmarks -- conv-routes</c>.)
/// </remarks>
public static class ConvNumerics
{
    /// <summary>
    /// Environment variable that forces a route for a process (default, channels-last, without-onednn), e.g. to watch the
    /// wrong default at work or to time the routes; set before the kit first uses TorchSharp.
    /// </summary>
    public const string RouteVariable = "TALKKIT_CONV_ROUTE";

    private static readonly Lock Gate = new();
    private static ConvNumericsStatus? s_status;

    /// <summary>Probes (or reads the cached verdict) once per process and applies the route; never throws.</summary>
    public static ConvNumericsStatus Ensure()
    {
        if (Volatile.Read(ref s_status) is { } done) return done;
        lock (Gate)
        {
            if (s_status is not null) return s_status;
            var status = Forced(Probe(ConvNumericsCache.Default), Environment.GetEnvironmentVariable(RouteVariable));
            if (status.Route == ConvRoute.WithoutOneDnn) OneDnnSwitch.TrySet(false);
            Volatile.Write(ref s_status, status);
            return status;
        }
    }

    /// <summary>The route TorchSharp convs take in this process.</summary>
    public static ConvRoute Route => Ensure().Route;

    /// <summary>
    /// An image batch [N,C,H,W] ready for a TorchSharp net on this machine: channels-last when that is the route, else
    /// as it is. Every place the kit feeds images to a TorchSharp net calls this (trainer, accuracy, export check).
    /// </summary>
    public static Tensor Images(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Route == ConvRoute.ChannelsLast && x.dim() == 4 ? ChannelsLast.Of(x) : x;
    }

    /// <summary>The status with the route <paramref name="value"/> names, if it names one (a bad value is reported, not obeyed).</summary>
    internal static ConvNumericsStatus Forced(ConvNumericsStatus status, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return status;
        ConvRoute? route = value.Trim().ToLowerInvariant() switch
        {
            "default" => ConvRoute.Default,
            "channels-last" => ConvRoute.ChannelsLast,
            "without-onednn" => ConvRoute.WithoutOneDnn,
            _ => null,
        };
        return route is { } r
            ? status with { Route = r, Forced = $"{RouteVariable}={value.Trim()} makes TorchSharp convs take {r.Describe()}" }
            : status with { Forced = $"{RouteVariable}='{value}' is not a route (default, channels-last or without-onednn) and was ignored" };
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // natives resolve only after the libstdc++ fix
    private static ConvNumericsStatus Probe(ConvNumericsCache cache)
    {
        TorchNativeFix.Apply();
        string? path = null;
        try
        {
            var conv = new TorchConvUnderTest();
            string machine = MachineInfo.Current.Fingerprint;
            string key = ConvNumericsCache.KeyOf(machine, conv.Library, ConvCase.Standard, ConvNumericsProbe.DefaultTolerance);
            path = cache.PathOf(key);
            if (cache.TryLoad(key, machine) is { } cached)
                return new ConvNumericsStatus(cached, cached.Chosen ?? ConvRoute.Default, path, FromCache: true, null);
            var report = ConvNumericsProbe.Run(conv, machine);
            try { cache.Save(key, report); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { path = $"not cached: {ex.Message}"; }
            return new ConvNumericsStatus(report, report.Chosen ?? ConvRoute.Default, path, FromCache: false, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new ConvNumericsStatus(null, ConvRoute.Default, path, false, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
