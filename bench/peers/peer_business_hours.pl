#!/usr/bin/perl
# Business::Hours (CPAN; what Request Tracker's SLA uses), called the way
# RT::SLA::CalculateTime calls it: TZ set to the calendar's zone with
# POSIX::tzset, a new Business::Hours per computation with business_hours(...,
# holidays => [...]), then add_seconds($start, 60 * $business_minutes).
# Timing covers only that loop (Time::HiRes), not start-up or I/O.
# Usage: peer_business_hours.pl --calendar F --queries F --out F [--limit N]
use strict;
use warnings;
use Business::Hours;
use JSON::PP;
use POSIX ();
use Time::HiRes ();

my %args = @ARGV;
for my $k (qw(--calendar --queries --out)) { die "missing $k\n" unless defined $args{$k}; }
my $limit = $args{'--limit'} || 0;

open my $cf, '<', $args{'--calendar'} or die "$args{'--calendar'}: $!\n";
my $cal = decode_json(do { local $/; <$cf> });
close $cf;

$ENV{TZ} = $cal->{time_zone};
POSIX::tzset();

my @keys  = qw(sun mon tue wed thu fri sat);
my @names = qw(Sunday Monday Tuesday Wednesday Thursday Friday Saturday);
my %hours;
for my $dow (0 .. 6) {
    my $windows = $cal->{weekly}{ $keys[$dow] } || [];
    die "Business::Hours takes one window a day (plus Breaks); $keys[$dow] has more\n" if @$windows > 1;
    $hours{$dow} = @$windows
        ? { Name => $names[$dow], Start => $windows->[0][0], End => $windows->[0][1] }
        : { Name => $names[$dow], Start => undef, End => undef };
}
my @holidays = map { ref $_ ? $_->{date} : $_ } @{ $cal->{holidays} };

my (@starts, @durations);
open my $qf, '<', $args{'--queries'} or die "$args{'--queries'}: $!\n";
while (my $line = <$qf>) {
    chomp $line;
    next unless length $line;
    my ($s, $d) = split /,/, $line;
    push @starts, $s;
    push @durations, $d;
    last if $limit && @starts >= $limit;
}
close $qf;

my @answers;
my $t0 = Time::HiRes::time();
for my $i (0 .. $#starts) {
    my $bh = Business::Hours->new;
    $bh->business_hours(%hours, holidays => [@holidays]);
    push @answers, $bh->add_seconds($starts[$i], $durations[$i]);
}
my $seconds = Time::HiRes::time() - $t0;

open my $of, '>', $args{'--out'} or die "$args{'--out'}: $!\n";
print $of join("\n", @answers), "\n";
close $of;
printf "{\"peer\": \"Business::Hours\", \"queries\": %d, \"seconds\": %.6f}\n", scalar(@starts), $seconds;
