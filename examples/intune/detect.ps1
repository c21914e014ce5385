<#
.SYNOPSIS
  Intune Remediations (proactive remediation), detection script: is uvx-safe healthy here?

.DESCRIPTION
  Runs the installed launcher's `safe doctor --json` (docs/doctor.md) and reads its report.
  Exit 0 (compliant): doctor exited 0 and no shim is stale.
  Exit 1 (run remediate.ps1): doctor exited 1 (a check FAILs: uv would fail or be refused), a folder
  of uvx-safe shims holds shims of an older launcher (`shims[].stale`), doctor could not report
  (exit 2: a broken policy file), or the launcher is missing.
  One line goes to standard output: Intune shows it as the detection output.

  It runs uvx-safe.exe, not bin\uv.exe: after an upgrade a shim left over from the older version
  would compare itself with itself and never look stale. Windows PowerShell 5.1 (Intune's) or 7.
#>
param(
  # The MSI installs it here (docs/deploy.md); /opt/uvx-safe/uvx-safe is the .deb's.
  [string]$Launcher = $(if ($env:ProgramFiles) { Join-Path $env:ProgramFiles 'uvx-safe\uvx-safe.exe' } else { '/opt/uvx-safe/uvx-safe' })
)

if (-not (Test-Path -LiteralPath $Launcher -PathType Leaf)) {
  Write-Output "uvx-safe is not installed at $Launcher"
  exit 1
}

# Native stderr is not PowerShell's error stream: leave it alone (Windows PowerShell 5.1 turns a
# redirected native stderr line into an error record).
$lines = & $Launcher safe doctor --json
$doctorExit = $LASTEXITCODE
if ($doctorExit -ne 0 -and $doctorExit -ne 1) {
  Write-Output "uvx-safe safe doctor could not report (exit $doctorExit): run '$Launcher safe doctor' to see why"
  exit 1
}

try {
  $report = ($lines -join "`n") | ConvertFrom-Json
} catch {
  Write-Output "uvx-safe safe doctor printed no JSON report (exit $doctorExit)"
  exit 1
}

$failing = @($report.checks | Where-Object { $_.status -eq 'fail' } | ForEach-Object { $_.id })
$staleDirs = @($report.shims | Where-Object { @($_.stale).Count -gt 0 } | ForEach-Object { $_.dir })
$who = "uvx-safe $($report.launcher.version) on $($report.host)"

if ($doctorExit -eq 1 -or $staleDirs.Count -gt 0) {
  $found = @()
  if ($failing.Count -gt 0) { $found += "FAIL $($failing -join ', ')" }
  if ($staleDirs.Count -gt 0) { $found += "stale shims in $($staleDirs -join ', ')" }
  Write-Output "${who}: $($found -join '; ')"
  exit 1
}

Write-Output "${who}: $($report.status)"
exit 0
