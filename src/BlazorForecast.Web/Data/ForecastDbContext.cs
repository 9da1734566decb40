using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Data;

/// <summary>
/// The app's one database: accounts (Identity), datasets, runs and their results. This type is the SQLite database
/// and owns its migrations; <see cref="PostgresForecastDbContext"/> is the same model on PostgreSQL with its own.
/// </summary>
public class ForecastDbContext : IdentityDbContext<AppUser>
{
    public ForecastDbContext(DbContextOptions<ForecastDbContext> options)
        : base(options)
    {
    }

    protected ForecastDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetColumn> DatasetColumns => Set<DatasetColumn>();

    public DbSet<DatasetTimeline> DatasetTimelines => Set<DatasetTimeline>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<Sweep> Sweeps => Set<Sweep>();

    public DbSet<TrainingWorkerHeartbeat> Workers => Set<TrainingWorkerHeartbeat>();

    public DbSet<RunEpoch> RunEpochs => Set<RunEpoch>();

    public DbSet<RunArtifact> RunArtifacts => Set<RunArtifact>();

    public DbSet<RunPart> RunParts => Set<RunPart>();

    public DbSet<RunTag> RunTags => Set<RunTag>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<RunShareLink> RunShareLinks => Set<RunShareLink>();

    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>(user => user.Property(u => u.DisplayName).HasMaxLength(100));

        builder.Entity<ApiToken>(token =>
        {
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.Prefix).HasMaxLength(16);
            token.Property(t => t.Hash).HasMaxLength(64);
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<RunShareLink>(link =>
        {
            link.Property(l => l.Hash).HasMaxLength(64);
            link.HasIndex(l => l.Hash).IsUnique();
            link.HasOne<Run>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
            link.HasOne<AppUser>().WithMany().HasForeignKey(l => l.CreatedById).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ActivityEntry>(entry =>
        {
            entry.ToTable("ActivityEntries");
            entry.Property(e => e.ActorName).HasMaxLength(100);
            entry.Property(e => e.SubjectName).HasMaxLength(200);
            entry.Property(e => e.Action).HasConversion<string>().HasMaxLength(20);
            entry.Property(e => e.Subject).HasConversion<string>().HasMaxLength(20);
            entry.Property(e => e.Visibility).HasConversion<string>().HasMaxLength(10);
            entry.HasIndex(e => e.At);
        });

        builder.Entity<Dataset>(dataset =>
        {
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Description).HasMaxLength(4000);
            dataset.Property(d => d.OriginalFileName).HasMaxLength(260);
            dataset.Property(d => d.Frequency).HasMaxLength(40);
            dataset.Property(d => d.DateColumn).HasMaxLength(200);
            dataset.Property(d => d.DefaultTarget).HasMaxLength(200);
            dataset.HasIndex(d => d.UploadedAt);
            dataset.Property(d => d.Visibility).HasConversion<string>().HasMaxLength(10);
            dataset.HasOne<AppUser>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.SetNull);
            dataset.HasMany(d => d.Columns).WithOne().HasForeignKey(c => c.DatasetId).OnDelete(DeleteBehavior.Cascade);
            dataset.HasOne(d => d.Timeline).WithOne().HasForeignKey<DatasetTimeline>(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<DatasetColumn>(column =>
        {
            column.HasKey(c => new { c.DatasetId, c.Ordinal });
            column.Property(c => c.Name).HasMaxLength(200);
            column.Property(c => c.SourceName).HasMaxLength(200);
            column.Property(c => c.Role).HasConversion<string>().HasMaxLength(20);
        });

        builder.Entity<DatasetTimeline>(timeline => timeline.HasKey(t => t.DatasetId));

        builder.Entity<Run>(run =>
        {
            run.Property(r => r.Name).HasMaxLength(200);
            run.Property(r => r.Notes).HasMaxLength(4000);
            run.Property(r => r.ModelKind).HasMaxLength(40);
            run.Property(r => r.Device).HasMaxLength(20);
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            run.HasIndex(r => r.Status);
            run.HasIndex(r => r.CreatedAt);
            run.Property(r => r.Visibility).HasConversion<string>().HasMaxLength(10);
            run.HasIndex(r => r.OwnerId);
            run.HasOne<AppUser>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.SetNull);
            run.HasIndex(r => new { r.DatasetId, r.TestRmse });
            run.HasOne<Dataset>().WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Cascade);
            run.HasMany(r => r.Epochs).WithOne().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
            run.HasMany(r => r.Tags).WithOne().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
            run.HasOne<RunArtifact>().WithOne().HasForeignKey<RunArtifact>(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
            run.Property(r => r.SweepRole).HasConversion<string>().HasMaxLength(10);
            run.Property(r => r.StoppedEarlyBecause).HasMaxLength(400);
            run.HasIndex(r => new { r.SweepId, r.TrialNumber });
            run.HasOne<Sweep>().WithMany().HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.Cascade);
            run.Property(r => r.ClaimedBy).HasMaxLength(100);
        });

        builder.Entity<TrainingWorkerHeartbeat>(worker =>
        {
            worker.HasKey(w => w.Name);
            worker.Property(w => w.Name).HasMaxLength(100);
            worker.Property(w => w.Device).HasMaxLength(40);
        });

        builder.Entity<Sweep>(sweep =>
        {
            sweep.Property(s => s.Name).HasMaxLength(200);
            sweep.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
            sweep.Property(s => s.Visibility).HasConversion<string>().HasMaxLength(10);
            sweep.Property(s => s.StatusDetail).HasMaxLength(2000);
            sweep.HasIndex(s => s.Status);
            sweep.HasIndex(s => s.CreatedAt);
            sweep.HasOne<AppUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.SetNull);
            sweep.HasOne<Dataset>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<RunEpoch>(epoch => epoch.HasKey(e => new { e.RunId, e.Fold, e.SeedIndex, e.Epoch }));
        builder.Entity<RunPart>(part =>
        {
            part.HasKey(p => new { p.RunId, p.Fold, p.SeedIndex });
            part.HasOne<Run>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RunArtifact>(artifact => artifact.HasKey(a => a.RunId));
        builder.Entity<RunTag>(tag =>
        {
            tag.HasKey(t => new { t.RunId, t.Tag });
            tag.Property(t => t.Tag).HasMaxLength(Features.Runs.RunTags.MaxLength);
            tag.HasIndex(t => t.Tag);
        });
    }
}
