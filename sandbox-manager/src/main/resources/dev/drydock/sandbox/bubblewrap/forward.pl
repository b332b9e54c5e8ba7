# Drydock's mirror forwarder (ADR 0011): listens on 127.0.0.1:3128 in the command's own network
# namespace, copies every connection to the server's mirror proxy on a Unix socket, then runs the
# command. It dies with the command's sandbox. Usage: perl forward.pl SOCKET -- COMMAND...
use strict;
use warnings;
use Socket;
use IO::Socket::INET;
use IO::Socket::UNIX;
use IO::Select;
use POSIX ();

my $socket = shift @ARGV;
shift @ARGV if @ARGV && $ARGV[0] eq '--';
my $listen = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 3128, Listen => 128, ReuseAddr => 1, Proto => 'tcp')
    or die "drydock: the mirror forwarder cannot listen on 127.0.0.1:3128: $!\n";
my $pid = fork();
die "drydock: the mirror forwarder cannot fork: $!\n" unless defined $pid;
if ($pid == 0) {
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>', '/dev/null');
    open(STDERR, '>', '/dev/null');
    $SIG{CHLD} = 'IGNORE';
    while (1) {
        my $client = $listen->accept() or next;
        my $child = fork();
        if (!defined $child) { close($client); next; }
        if ($child == 0) { close($listen); relay($client); POSIX::_exit(0); }
        close($client);
    }
}
close($listen);
{ no warnings 'exec'; exec { $ARGV[0] } @ARGV; }
print STDERR "drydock: $ARGV[0]: command not found\n";
exit 127;

sub relay {
    my ($client) = @_;
    my $up = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $socket) or return;
    my $select = IO::Select->new($client, $up);
    my $buf;
    while ($select->count() > 0) {
        for my $h ($select->can_read()) {
            my $other = $h == $client ? $up : $client;
            my $n = sysread($h, $buf, 65536);
            if (!$n) { shutdown($other, 1); $select->remove($h); next; }
            my $off = 0;
            while ($off < $n) {
                my $w = syswrite($other, $buf, $n - $off, $off);
                return unless defined $w;
                $off += $w;
            }
        }
    }
}
